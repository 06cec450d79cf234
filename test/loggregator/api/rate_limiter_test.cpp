#include "loggregator/api/rate_limiter.h"

#include <catch2/catch.hpp>

#include "common/core/clock.h"

using namespace cupola;
using namespace cupola::loggregator;
using namespace std::chrono_literals;
using Verdict = LogRateLimiter::Verdict;

TEST_CASE("LogRateLimiter applies an instance's bytes per second") {
  FakeClock clock;

  SECTION("when the limit is 0, every line passes") {
    LogRateLimiter limiter(0, clock.now());
    for (int i = 0; i < 1000; ++i) CHECK(limiter.admit(1'000'000, clock.now()) == Verdict::Allow);
    CHECK(limiter.dropped_lines() == 0);
  }

  SECTION(
      "when lines fit in the second's budget, they pass; the next one is dropped and "
      "reported") {
    LogRateLimiter limiter(100, clock.now());
    CHECK(limiter.admit(60, clock.now()) == Verdict::Allow);
    CHECK(limiter.admit(40, clock.now()) == Verdict::Allow);
    CHECK(limiter.admit(1, clock.now()) == Verdict::DropAndReport);
    CHECK(limiter.dropped_lines() == 1);
    CHECK(limiter.dropped_bytes() == 1);
  }

  SECTION("when over the limit, one report per second and silence in between") {
    LogRateLimiter limiter(100, clock.now());
    CHECK(limiter.admit(100, clock.now()) == Verdict::Allow);
    CHECK(limiter.admit(10, clock.now()) == Verdict::DropAndReport);
    int reports = 0;
    int drops = 0;
    // A steady flood for 3.5 seconds: lines every 10 ms, each larger than the limit.
    for (int i = 0; i < 350; ++i) {
      clock.advance(10ms);
      auto v = limiter.admit(1000, clock.now());
      if (v == Verdict::DropAndReport) ++reports;
      if (v == Verdict::Drop) ++drops;
      CHECK(v != Verdict::Allow);
    }
    CHECK(reports == 3);  // at 1 s, 2 s and 3 s after the first report
    CHECK(drops == 347);
    CHECK(limiter.dropped_lines() == 351);
  }

  SECTION("when a second has passed after a report, lines within the budget pass again") {
    LogRateLimiter limiter(100, clock.now());
    CHECK(limiter.admit(100, clock.now()) == Verdict::Allow);
    CHECK(limiter.admit(50, clock.now()) == Verdict::DropAndReport);
    clock.advance(500ms);
    // Refilled by half, but the second after the report drops everything unchecked.
    CHECK(limiter.admit(10, clock.now()) == Verdict::Drop);
    clock.advance(500ms);
    CHECK(limiter.admit(100, clock.now()) == Verdict::Allow);
    CHECK(limiter.admit(1, clock.now()) == Verdict::DropAndReport);
  }

  SECTION("when the bucket refills over time, it never holds more than one second's worth") {
    LogRateLimiter limiter(100, clock.now());
    clock.advance(10s);
    CHECK(limiter.admit(100, clock.now()) == Verdict::Allow);
    CHECK(limiter.admit(1, clock.now()) == Verdict::DropAndReport);
  }

  SECTION("when a single line is longer than the limit, it never passes") {
    LogRateLimiter limiter(100, clock.now());
    CHECK(limiter.admit(101, clock.now()) == Verdict::DropAndReport);
    clock.advance(5s);
    CHECK(limiter.admit(101, clock.now()) == Verdict::DropAndReport);
  }
}

TEST_CASE("the rate limit report reads as Cloud Foundry's") {
  LogRateLimiter limiter(1024, FakeClock().now());
  CHECK(limiter.exceeded_message() == "app instance exceeded log rate limit (1024 bytes/sec)");
  CHECK(log_rate_limit_message(5) == "app instance exceeded log rate limit (5 bytes/sec)");

  SECTION("when made from a dropped line, it keeps the line's source and tags and is OUT") {
    auto dropped = make_log(10, "app-guid", "2", "APP/PROC/WEB", "noisy", LogType::Err);
    dropped.tags["process_type"] = "web";
    auto report = make_rate_limit_report(dropped, 1024, 20);
    CHECK(report.timestamp == 20);
    CHECK(report.source_id == "app-guid");
    CHECK(report.instance_id == "2");
    CHECK(report.tags == dropped.tags);
    REQUIRE(report.log() != nullptr);
    CHECK(report.log()->type == LogType::Out);
    CHECK(report.log()->payload == "app instance exceeded log rate limit (1024 bytes/sec)");
  }
}
