// Access log values are quoted as Go's strconv.Quote quotes them.
#include <catch2/catch.hpp>

#include "gorouter/rules/go_quote.h"

namespace cupola::router::rules {
namespace {

TEST_CASE("go_quote escapes quotes, backslashes and control characters", "[router][rules]") {
  CHECK(go_quote("") == R"("")");
  CHECK(go_quote("curl/8.5.0") == R"("curl/8.5.0")");
  CHECK(go_quote(R"(say "hi")") == R"("say \"hi\"")");
  CHECK(go_quote(R"(C:\dir)") == R"("C:\\dir")");
  CHECK(go_quote("a\nb\rc\td") == R"("a\nb\rc\td")");
  CHECK(go_quote("\a\b\f\v") == R"("\a\b\f\v")");
  CHECK(go_quote(std::string_view("\0\x1b\x7f", 3)) == R"("\x00\x1b\x7f")");
}

TEST_CASE("go_quote keeps printable UTF-8 and escapes the rest", "[router][rules]") {
  SECTION("when the text is printable") {
    CHECK(go_quote("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") ==
          "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  }
  SECTION("when a code point is not printable") {
    CHECK(go_quote("\xC2\x85") == R"("\u0085")");  // NEL, a C1 control
    CHECK(go_quote("a\xC2\xA0"
                   "b") == R"("a\u00a0b")");                   // no-break space
    CHECK(go_quote("\xE2\x80\xA8") == R"("\u2028")");          // line separator
    CHECK(go_quote("\xEF\xBB\xBF") == R"("\ufeff")");          // byte order mark
    CHECK(go_quote("\xF3\xB0\x80\x80") == R"("\U000f0000")");  // private use
  }
  SECTION("when the bytes are not UTF-8") {
    CHECK(go_quote("\xff") == R"("\xff")");
    CHECK(go_quote("\xC0\xAF") == R"("\xc0\xaf")");          // overlong '/'
    CHECK(go_quote("\xED\xA0\x80") == R"("\xed\xa0\x80")");  // a surrogate
    CHECK(go_quote("ok\xE2\x82") == R"("ok\xe2\x82")");      // truncated sequence
  }
}

}  // namespace
}  // namespace cupola::router::rules
