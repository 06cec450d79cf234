#include "diego/lifecycle/duration.h"

#include <catch2/catch.hpp>

#include "common/core/time.h"

using namespace std::chrono_literals;
using cupola::lifecycle::format_go_duration;
using cupola::lifecycle::parse_go_duration;

TEST_CASE("Go durations for the lifecycle flags") {
  SECTION("when well formed, they parse to the nanosecond") {
    CHECK(*parse_go_duration("500ms") == 500ms);
    CHECK(*parse_go_duration("1s") == 1s);
    CHECK(*parse_go_duration("2m0s") == 2min);
    CHECK(*parse_go_duration("1m30s") == 90s);
    CHECK(*parse_go_duration("1.5h") == 90min);
    CHECK(*parse_go_duration(".5s") == 500ms);
    CHECK(*parse_go_duration("1.s") == 1s);
    CHECK(*parse_go_duration("250us") == 250us);
    CHECK(*parse_go_duration("250\xC2\xB5s") == 250us);
    CHECK(*parse_go_duration("10ns") == 10ns);
    CHECK(*parse_go_duration("+3s") == 3s);
    CHECK(*parse_go_duration("0") == 0ns);
    CHECK(*parse_go_duration("0s") == 0ns);
    CHECK(*parse_go_duration("1.0000000005s") == 1s);  // below a nanosecond is dropped
  }
  SECTION("when malformed, the error quotes the input and says what is wrong") {
    CHECK(parse_go_duration("30").error().message == "missing unit in duration \"30\"");
    CHECK(parse_go_duration("5d").error().message == "unknown unit \"d\" in duration \"5d\"");
    CHECK(parse_go_duration("-1s").error().message == "negative value in duration \"-1s\"");
    CHECK(parse_go_duration("abc").error().message == "invalid duration \"abc\"");
    CHECK(parse_go_duration("").error().message == "empty duration");
    CHECK(parse_go_duration("+").error().message == "invalid duration \"+\"");
    CHECK(parse_go_duration("3000000h").error().message ==
          "value out of range in duration \"3000000h\"");
    CHECK_FALSE(parse_go_duration("1s ").ok());
    CHECK_FALSE(parse_go_duration("99999999999999999999s").ok());
  }
  SECTION("when printed, they read as Go prints them") {
    CHECK(format_go_duration(0s) == "0s");
    CHECK(format_go_duration(7ns) == "7ns");
    CHECK(format_go_duration(1500ns) == "1.5us");
    CHECK(format_go_duration(300ms) == "300ms");
    CHECK(format_go_duration(1500us) == "1.5ms");
    CHECK(format_go_duration(1s) == "1s");
    CHECK(format_go_duration(60s) == "1m0s");
    CHECK(format_go_duration(2h) == "2h0m0s");
    CHECK(format_go_duration(3723500ms) == "1h2m3.5s");
    CHECK(format_go_duration(1s + 1ns) == "1.000000001s");
    CHECK(format_go_duration(-2s) == "-2s");
  }
  SECTION("when common/core reads or writes the same durations, they agree") {
    for (const char* text : {"30s", "1m30s", "500ms", "2h", "1.5s", "250us", "0", "10ns"}) {
      INFO(text);
      CHECK(*parse_go_duration(text) == *cupola::parse_duration(text));
    }
    for (auto d : std::vector<std::chrono::nanoseconds>{0ns, 500ms, 90s, 2h, 1500ms}) {
      CHECK(format_go_duration(d) == cupola::format_duration(d));
    }
  }
}
