#include "common/pg/migrate.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::pg;

TEST_CASE("validate_migrations") {
  SECTION("accepts unique positive versions in any order") {
    CHECK(validate_migrations({{2, "b", "SELECT 1"}, {1, "a", "SELECT 1"}}));
    CHECK(validate_migrations({}));
  }

  SECTION("reports every problem at once") {
    auto s = validate_migrations(
        {{1, "a", "SELECT 1"}, {1, "again", "SELECT 1"}, {0, "zero", "SELECT 1"}, {3, "", ""}});
    REQUIRE_FALSE(s);
    CHECK(s.error().code == Errc::InvalidArgument);
    const auto& m = s.error().message;
    CHECK(m.find("migration 1: duplicate version") != std::string::npos);
    CHECK(m.find("migration 0: version must be positive") != std::string::npos);
    CHECK(m.find("migration 3: name is empty") != std::string::npos);
    CHECK(m.find("migration 3: sql is empty") != std::string::npos);
  }
}
