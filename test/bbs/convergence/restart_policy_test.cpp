#include "bbs/src/convergence/restart_policy.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <utility>
#include <vector>

namespace cupola::bbs {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kT0 = 1'700'000'000'000'000'000;  // some instant, ns since the epoch
constexpr std::int64_t ns(std::chrono::nanoseconds d) { return d.count(); }

TEST_CASE("restart_backoff follows Cloud Foundry's crash policy", "[restart_policy]") {
  SECTION("when the instance has crashed once or twice it restarts without waiting") {
    CHECK(restart_backoff(0) == 0ns);
    CHECK(restart_backoff(1) == 0ns);
    CHECK(restart_backoff(2) == 0ns);
  }
  SECTION("when it has crashed 3 or more times the wait doubles from 30 s up to 16 min") {
    const std::vector<std::pair<int, std::chrono::nanoseconds>> expected = {
        {3, 30s},   {4, 1min},  {5, 2min},   {6, 4min},   {7, 8min},
        {8, 16min}, {9, 16min}, {50, 16min}, {199, 16min}};
    for (const auto& [count, wait] : expected) {
      INFO("crash_count " << count);
      CHECK(restart_backoff(count) == wait);
    }
  }
  SECTION("when it has crashed 200 times it is never restarted") {
    CHECK_FALSE(restart_backoff(200).has_value());
    CHECK_FALSE(restart_backoff(1000).has_value());
  }
}

TEST_CASE("should_restart compares the crash time plus the backoff with now", "[restart_policy]") {
  SECTION("when the count is 1 or 2 it holds at the very instant of the crash") {
    CHECK(should_restart(kT0, kT0, 1));
    CHECK(should_restart(kT0, kT0, 2));
    CHECK(restarts_immediately(1));
    CHECK(restarts_immediately(2));
  }
  SECTION("when the count is 3 or more it holds from the end of the backoff, not before") {
    const std::vector<std::pair<int, std::chrono::nanoseconds>> steps = {
        {3, 30s}, {4, 60s}, {5, 2min}, {6, 4min}, {7, 8min}, {8, 16min}, {12, 16min}};
    for (const auto& [count, wait] : steps) {
      INFO("crash_count " << count);
      CHECK_FALSE(restarts_immediately(count));
      CHECK_FALSE(should_restart(kT0 + ns(wait) - 1, kT0, count));
      CHECK(should_restart(kT0 + ns(wait), kT0, count));
      CHECK(restart_due_at(kT0, count) == kT0 + ns(wait));
    }
  }
  SECTION("when the count is 199 it still restarts after 16 min") {
    CHECK(should_restart(kT0 + ns(16min), kT0, 199));
  }
  SECTION("when the count reaches 200 it never holds, however long it waits") {
    CHECK_FALSE(should_restart(kT0 + ns(24h * 365), kT0, 200));
    CHECK_FALSE(restart_due_at(kT0, 200).has_value());
  }
}

TEST_CASE("next_crash_count resets after more than 5 minutes of running", "[restart_policy]") {
  SECTION("when a RUNNING instance ran more than 5 min the count starts again at 1") {
    CHECK(next_crash_count(ActualLrpState::Running, kT0, 7, kT0 + ns(5min) + 1) == 1);
    CHECK(next_crash_count(ActualLrpState::Running, kT0, 199, kT0 + ns(1h)) == 1);
  }
  SECTION("when it ran exactly 5 min or less the count goes up by one") {
    CHECK(next_crash_count(ActualLrpState::Running, kT0, 7, kT0 + ns(5min)) == 8);
    CHECK(next_crash_count(ActualLrpState::Running, kT0, 0, kT0 + ns(10s)) == 1);
  }
  SECTION("when the instance was not RUNNING the time since does not reset the count") {
    CHECK(next_crash_count(ActualLrpState::Claimed, kT0, 4, kT0 + ns(1h)) == 5);
    CHECK(next_crash_count(ActualLrpState::Crashed, kT0, 4, kT0 + ns(1h)) == 5);
  }
  SECTION("when a long-running instance with many crashes crashes again it restarts at once") {
    ActualLrp row;
    row.state = ActualLrpState::Running;
    row.since = kT0;
    row.crash_count = 150;
    const std::int32_t count = next_crash_count(row, kT0 + ns(6min));
    CHECK(count == 1);
    CHECK(restarts_immediately(count));
  }
  SECTION("when a short-lived instance crashes a third time it waits 30 s") {
    const std::int32_t count = next_crash_count(ActualLrpState::Running, kT0, 2, kT0 + ns(1min));
    CHECK(count == 3);
    CHECK_FALSE(restarts_immediately(count));
    CHECK(should_restart(kT0 + ns(1min) + ns(30s), kT0 + ns(1min), count));
  }
}

}  // namespace
}  // namespace cupola::bbs
