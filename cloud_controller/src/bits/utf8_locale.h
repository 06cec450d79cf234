#pragma once

#include <locale.h>

namespace cupola::cc::bits {

// Switches the calling thread (only) to the C.UTF-8 character type while in scope.
// libarchive converts names between an archive's UTF-8 and the current locale's charset;
// under the "C" locale a process starts in, every non-ASCII name fails to convert and
// reads back as no name at all. When C.UTF-8 is missing the thread keeps its locale.
class ScopedUtf8Locale {
 public:
  ScopedUtf8Locale() : utf8_(::newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{})) {
    if (utf8_) previous_ = ::uselocale(utf8_);
  }
  ~ScopedUtf8Locale() {
    if (!utf8_) return;
    ::uselocale(previous_);
    ::freelocale(utf8_);
  }
  ScopedUtf8Locale(const ScopedUtf8Locale&) = delete;
  ScopedUtf8Locale& operator=(const ScopedUtf8Locale&) = delete;

 private:
  locale_t utf8_;
  locale_t previous_ = locale_t{};
};

}  // namespace cupola::cc::bits
