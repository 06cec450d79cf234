#include "common/core/base64.h"

#include <catch2/catch.hpp>

using namespace cupola;

TEST_CASE("base64 encodes RFC 4648's vectors and decodes them back") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    INFO(plain);
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == std::string(plain));
  }
  CHECK(base64_encode(std::string("\xff\x00\x10", 3)) == "/wAQ");
  CHECK_FALSE(base64_decode("Zm9v!").has_value());
}
