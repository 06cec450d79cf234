// Crashed instances: the restart policy as convergence applies it.
#include <catch2/catch.hpp>

#include "bbs/src/convergence/lrp_convergence.h"
#include "bbs/src/convergence/restart_policy.h"
#include "test/bbs/convergence/lrp_fixtures.h"

namespace cupola::bbs {
namespace {

using namespace cupola::bbs::testing;
using S = ActualLrpState;

TEST_CASE("converge_lrps restarts crashed instances by the crash policy", "[convergence]") {
  auto in = input_at(kT0);
  const DesiredLrp web = desired("web", 1);
  in.desired = {web};

  auto expect_restart = [&](const ActualLrp& row, std::int64_t now) {
    in.actual = {row};
    in.now = now;
    const auto r = converge_lrps(in);
    REQUIRE(r.changes.size() == 1);
    const ActualLrp& after = r.changes[0].after;
    CHECK(r.changes[0].reason == LrpChangeReason::RestartedAfterCrash);
    CHECK(after.state == S::Unclaimed);
    CHECK(after.crash_count == row.crash_count);  // kept: the next crash counts on
    CHECK(after.since == now);
    CHECK(after.modification_tag == row.modification_tag.incremented());
    CHECK(r.start_requests == std::vector{start_request(web, 0)});
  };
  auto expect_wait = [&](const ActualLrp& row, std::int64_t now) {
    in.actual = {row};
    in.now = now;
    const auto r = converge_lrps(in);
    CHECK(effects_empty(r));
    CHECK(r.counters.crashed == 1);
    CHECK(r.counters.crashing_desired == 1);
  };

  SECTION("when it has crashed once or twice it restarts at once") {
    expect_restart(crashed("web", 0, 1, kT0), kT0);
    expect_restart(crashed("web", 0, 2, kT0), kT0);
  }
  SECTION("when it has crashed 3 to 7 times it waits 30 s doubling each time") {
    const std::int64_t waits[] = {30 * kSecond, kMinute, 2 * kMinute, 4 * kMinute, 8 * kMinute};
    for (std::int32_t count = 3; count <= 7; ++count) {
      INFO("crash_count " << count);
      const std::int64_t wait = waits[count - 3];
      expect_wait(crashed("web", 0, count, kT0), kT0 + wait - 1);
      expect_restart(crashed("web", 0, count, kT0), kT0 + wait);
    }
  }
  SECTION("when it has crashed 8 to 199 times it waits 16 min") {
    for (std::int32_t count : {8, 9, 100, 199}) {
      INFO("crash_count " << count);
      expect_wait(crashed("web", 0, count, kT0), kT0 + 16 * kMinute - 1);
      expect_restart(crashed("web", 0, count, kT0), kT0 + 16 * kMinute);
    }
  }
  SECTION("when it has crashed 200 times it stays CRASHED for good") {
    expect_wait(crashed("web", 0, 200, kT0), kT0 + 1000 * kMinute);
    expect_wait(crashed("web", 0, 201, kT0), kT0 + 1000 * kMinute);
  }
  SECTION("when the domain is stale a wanted crashed instance still restarts") {
    in.fresh_domains.clear();
    expect_restart(crashed("web", 0, 3, kT0), kT0 + 30 * kSecond);
  }
}

TEST_CASE("converge_lrps and the crash handler agree on the count reset", "[convergence]") {
  auto in = input_at(kT0);
  in.desired = {desired("web", 1)};

  SECTION("when an instance that ran over 5 min crashes with a high count it restarts at once") {
    ActualLrp row = actual("web", 0, S::Running, "cell-a", Presence::Ordinary, kT0);
    row.crash_count = 150;
    const std::int64_t crash_at = kT0 + 5 * kMinute + 1;
    const std::int32_t count = next_crash_count(row, crash_at);
    REQUIRE(count == 1);
    in.actual = {crashed("web", 0, count, crash_at)};
    in.now = crash_at;
    CHECK(converge_lrps(in).start_requests.size() == 1);
  }
  SECTION("when it ran exactly 5 min the count keeps growing and the instance waits") {
    ActualLrp row = actual("web", 0, S::Running, "cell-a", Presence::Ordinary, kT0);
    row.crash_count = 150;
    const std::int64_t crash_at = kT0 + 5 * kMinute;
    const std::int32_t count = next_crash_count(row, crash_at);
    REQUIRE(count == 151);
    in.actual = {crashed("web", 0, count, crash_at)};
    in.now = crash_at + 16 * kMinute - 1;
    CHECK(effects_empty(converge_lrps(in)));
    in.now = crash_at + 16 * kMinute;
    CHECK(converge_lrps(in).start_requests.size() == 1);
  }
}

}  // namespace
}  // namespace cupola::bbs
