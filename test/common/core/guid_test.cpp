#include "common/core/guid.h"

#include <catch2/catch.hpp>
#include <set>

using namespace cupola;

TEST_CASE("GUIDs are RFC 4122 version 4") {
  RandomGuidGenerator gen;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto g = gen.next();
    REQUIRE(is_guid(g));
    CHECK(g[14] == '4');                                          // version
    CHECK(std::string("89ab").find(g[19]) != std::string::npos);  // variant
    seen.insert(g);
  }
  CHECK(seen.size() == 1000);

  SECTION("a seeded generator repeats its sequence") {
    RandomGuidGenerator a(42), b(42);
    CHECK(a.next() == b.next());
  }
  SECTION("formatting sets version and variant bits") {
    CHECK(format_guid_v4(0, 0) == "00000000-0000-4000-8000-000000000000");
    CHECK(format_guid_v4(~0ULL, ~0ULL) == "ffffffff-ffff-4fff-bfff-ffffffffffff");
  }
  SECTION("is_guid rejects malformed text") {
    CHECK_FALSE(is_guid(""));
    CHECK_FALSE(is_guid("6ba7b810-9dad-41d1-80b4-00c04fd430c"));
    CHECK_FALSE(is_guid("6ba7b810x9dad-41d1-80b4-00c04fd430c8"));
    CHECK_FALSE(is_guid("6ba7b810-9dad-41d1-80b4-00c04fd430cg"));
    CHECK(is_guid("6BA7B810-9DAD-41D1-80B4-00C04FD430C8"));
  }
}
