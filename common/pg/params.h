#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cupola::pg {

// One query parameter in Postgres text format, or NULL. Values travel to the server
// separately from the SQL text ($1, $2, ...), so they are never parsed as SQL.
class Param {
 public:
  Param(std::nullopt_t) {}                              // NOLINT: implicit, NULL
  Param(std::nullptr_t) {}                              // NOLINT: implicit, NULL
  Param(std::string v) : text_(std::move(v)) {}         // NOLINT: implicit
  Param(std::string_view v) : text_(std::string(v)) {}  // NOLINT: implicit
  Param(const char* v) : text_(std::string(v)) {}       // NOLINT: implicit
  Param(bool v) : text_(v ? "true" : "false") {}        // NOLINT: implicit
  template <class I>
  requires(std::integral<I> && !std::same_as<I, bool>) Param(I v)
      : text_(std::to_string(v)) {}  // NOLINT: implicit
  template <class T>
  Param(const std::optional<T>& v) {  // NOLINT: implicit
    if (v) text_ = Param(*v).text_;
  }

  bool is_null() const { return !text_.has_value(); }
  // The text form; nullptr for NULL. Valid while this Param lives.
  const char* c_str() const { return text_ ? text_->c_str() : nullptr; }
  const std::optional<std::string>& text() const { return text_; }

 private:
  std::optional<std::string> text_;
};

using Params = std::vector<Param>;

}  // namespace cupola::pg
