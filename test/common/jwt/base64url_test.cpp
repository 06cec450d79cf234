#include "common/jwt/base64url.h"

#include <catch2/catch.hpp>

using namespace cupola::jwt;

TEST_CASE("base64url encodes without padding using - and _") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    INFO(plain);
    CHECK(base64url_encode(plain) == encoded);
    CHECK(base64url_decode(encoded) == std::string(plain));
  }
  const std::string bytes("\xfb\xff\xbf", 3);
  CHECK(base64url_encode(bytes) == "-_-_");
  CHECK(base64url_decode("-_-_") == bytes);
  // RFC 7515 Appendix A.1's header, byte for byte.
  CHECK(base64url_encode("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}") ==
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
}

TEST_CASE("base64url decoding is strict") {
  SECTION("when the text has padding or standard base64 characters") {
    CHECK_FALSE(base64url_decode("Zg==").has_value());
    CHECK_FALSE(base64url_decode("+/+/").has_value());
  }
  SECTION("when the text has whitespace or other bytes") {
    CHECK_FALSE(base64url_decode("Zm9v Yg").has_value());
    CHECK_FALSE(base64url_decode("Zm9v\n").has_value());
    CHECK_FALSE(base64url_decode("Zm9v.").has_value());
  }
  SECTION("when the length cannot come from any bytes") {
    CHECK_FALSE(base64url_decode("Zm9vY").has_value());
  }
  SECTION("when the unused trailing bits are not zero") {
    CHECK(base64url_decode("Zg") == std::string("f"));
    CHECK_FALSE(base64url_decode("Zh").has_value());
    CHECK(base64url_decode("Zm8") == std::string("fo"));
    CHECK_FALSE(base64url_decode("Zm9").has_value());
  }
}
