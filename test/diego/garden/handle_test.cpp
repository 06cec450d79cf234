#include <catch2/catch.hpp>

#include <vector>

#include "diego/garden/garden.h"

using namespace cupola::garden;

TEST_CASE("handles are names, never paths") {
  CHECK(validate_handle("abc-123_x.y").ok());
  CHECK(validate_handle(std::string(128, 'a')).ok());
  for (std::string bad : std::vector<std::string>{"", ".", "..", "a/b", "../x", "a b",
                                                  std::string(129, 'a'), "x\n"}) {
    INFO(bad);
    auto st = validate_handle(bad);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().message.find("invalid container handle") == 0);
  }
}

TEST_CASE("users are vcap and root") {
  CHECK(uid_for_user("vcap") == 2000u);
  CHECK(uid_for_user("root") == 0u);
  CHECK_FALSE(uid_for_user("nobody").has_value());
}
