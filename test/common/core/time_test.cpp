#include "common/core/time.h"

#include <catch2/catch.hpp>

#include "common/core/clock.h"

using namespace cupola;
using namespace std::chrono;

TEST_CASE("RFC 3339 times") {
  TimePoint t = sys_days{2026y / November / 25} + 18h + 53min + 6s + 123456789ns;
  SECTION("format in UTC") {
    CHECK(format_rfc3339(t) == "2026-11-25T18:53:06Z");
    CHECK(format_rfc3339(t, true) == "2026-11-25T18:53:06.123456789Z");
  }
  SECTION("round trip") {
    auto back = parse_rfc3339(format_rfc3339(t, true));
    REQUIRE(back.ok());
    CHECK(*back == t);
  }
  SECTION("offsets convert to UTC") {
    auto r = parse_rfc3339("2026-11-25T19:53:06+01:00");
    REQUIRE(r.ok());
    CHECK(format_rfc3339(*r) == "2026-11-25T18:53:06Z");
    auto neg = parse_rfc3339("2026-11-25T10:23:06.5-08:30");
    REQUIRE(neg.ok());
    CHECK(format_rfc3339(*neg, true) == "2026-11-25T18:53:06.500000000Z");
  }
  SECTION("errors say what is wrong") {
    auto r = parse_rfc3339("2026-02-30T00:00:00Z");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("no such date") != std::string::npos);
    CHECK_FALSE(parse_rfc3339("2026-11-25 18:53:06Z").ok());
    CHECK_FALSE(parse_rfc3339("2026-11-25T18:53:06").ok());
    CHECK_FALSE(parse_rfc3339("2026-11-25T18:53:06Zjunk").ok());
    CHECK_FALSE(parse_rfc3339("2026-11-25T25:00:00Z").ok());
  }
}

TEST_CASE("Go-style durations") {
  CHECK(*parse_duration("30s") == 30s);
  CHECK(*parse_duration("1m30s") == 90s);
  CHECK(*parse_duration("500ms") == 500ms);
  CHECK(*parse_duration("2h") == 2h);
  CHECK(*parse_duration("1.5s") == 1500ms);
  CHECK(*parse_duration("250us") == 250us);
  CHECK(*parse_duration("0") == 0ns);
  SECTION("bad input names the problem") {
    auto r = parse_duration("30");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("missing unit") != std::string::npos);
    CHECK(parse_duration("5d").error().message.find("unknown unit \"d\"") != std::string::npos);
    CHECK_FALSE(parse_duration("-1s").ok());
    CHECK_FALSE(parse_duration("").ok());
    CHECK_FALSE(parse_duration("s").ok());
    CHECK_FALSE(parse_duration("99999999999h").ok());
  }
  SECTION("formatting") {
    CHECK(format_duration(90s) == "1m30s");
    CHECK(format_duration(500ms) == "500ms");
    CHECK(format_duration(0s) == "0s");
    CHECK(format_duration(2h) == "2h0m0s");
  }
}

TEST_CASE("FakeClock moves only when told") {
  FakeClock clock;
  auto start = clock.now();
  CHECK(clock.now() == start);
  clock.advance(5s);
  CHECK(clock.now() - start == 5s);
}
