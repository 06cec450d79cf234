#include "bbs/src/convergence/lrp_convergence.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "test/bbs/convergence/lrp_fixtures.h"

namespace cupola::bbs {
namespace {

using namespace cupola::bbs::testing;
using S = ActualLrpState;

TEST_CASE("converge_lrps creates and auctions missing indices", "[convergence]") {
  auto in = input_at(kT0);
  const DesiredLrp web = desired("web", 3);
  in.desired = {web};

  SECTION("when no instance exists every index gets an UNCLAIMED row and an auction") {
    const auto r = converge_lrps(in);
    REQUIRE(r.creations.size() == 3);
    for (std::int32_t i = 0; i < 3; ++i) {
      const ActualLrp& row = r.creations[i];
      CHECK(row.key == ActualLrpKey{"web", i, "cf-apps"});
      CHECK(row.state == S::Unclaimed);
      CHECK(row.presence == Presence::Ordinary);
      CHECK(row.since == kT0);
      CHECK(row.crash_count == 0);
      CHECK(row.instance_key.empty());
      CHECK(row.modification_tag == ModificationTag{"", 0});
    }
    CHECK(r.start_requests ==
          std::vector{start_request(web, 0), start_request(web, 1), start_request(web, 2)});
    CHECK(r.counters.missing_instances == 3);
    CHECK(r.counters.desired_instances == 3);
  }
  SECTION("when only index 1 exists indices 0 and 2 are created, index 1 is left alone") {
    in.actual = {actual("web", 1, S::Running, "cell-a")};
    const auto r = converge_lrps(in);
    const auto rows = apply_effects(in.actual, r);
    CHECK(rows.size() == 3);
    CHECK(find_row(rows, "web", 0, Presence::Ordinary)->state == S::Unclaimed);
    CHECK(*find_row(rows, "web", 1, Presence::Ordinary) == in.actual[0]);
    CHECK(find_row(rows, "web", 2, Presence::Ordinary)->state == S::Unclaimed);
    CHECK(r.start_requests == std::vector{start_request(web, 0), start_request(web, 2)});
  }
  SECTION("when every index exists nothing happens") {
    in.actual = {actual("web", 0, S::Running, "cell-a"), actual("web", 1, S::Claimed, "cell-b"),
                 actual("web", 2, S::Unclaimed)};
    CHECK(effects_empty(converge_lrps(in)));
  }
  SECTION("when the domain is stale missing indices are still created") {
    in.fresh_domains.clear();
    CHECK(converge_lrps(in).creations.size() == 3);
  }
}

TEST_CASE("converge_lrps retires extra indices only in fresh domains", "[convergence]") {
  auto in = input_at(kT0);
  in.desired = {desired("web", 1)};
  in.actual = {actual("web", 0, S::Running, "cell-a"), actual("web", 1, S::Running, "cell-b"),
               actual("web", 2, S::Unclaimed, "", Presence::Ordinary, kT0 - 10 * kMinute),
               crashed("web", 3, 1, kT0 - kMinute)};

  SECTION("when the domain is fresh every index >= instances is retired, whatever its state") {
    const auto r = converge_lrps(in);
    REQUIRE(r.retirements.size() == 3);
    for (std::int32_t i = 1; i <= 3; ++i) {
      CHECK(r.retirements[i - 1].key == ActualLrpKey{"web", i, "cf-apps"});
      CHECK(r.retirements[i - 1].reason == LrpRetireReason::ExtraIndex);
    }
    CHECK(r.start_requests.empty());
    CHECK(r.changes.empty());
    CHECK(r.counters.extra_instances == 3);
    const auto rows = apply_effects(in.actual, r);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == in.actual[0]);
  }
  SECTION("when the domain is stale extra indices are kept but never started or restarted") {
    in.fresh_domains.clear();
    const auto r = converge_lrps(in);
    CHECK(effects_empty(r));
    CHECK(r.counters.extra_instances == 3);
  }
  SECTION("when an extra index in a fresh domain has a suspect, the suspect is deleted too") {
    in.actual.push_back(actual("web", 1, S::Running, "cell-gone", Presence::Suspect));
    const auto r = converge_lrps(in);
    REQUIRE(r.deletions.size() == 1);
    CHECK(r.deletions[0].reason == LrpDeleteReason::OrphanedSuspect);
    CHECK(apply_effects(in.actual, r).size() == 1);
  }
}

TEST_CASE("converge_lrps retires orphaned actual LRPs", "[convergence]") {
  auto in = input_at(kT0);
  in.actual = {actual("gone", 0, S::Running, "cell-a"),
               actual("gone", 1, S::Running, "cell-lost", Presence::Suspect),
               actual("gone", 1, S::Unclaimed, "", Presence::Ordinary, kT0 - kMinute)};

  SECTION("when the domain is fresh the ordinary rows are retired and the suspect deleted") {
    const auto r = converge_lrps(in);
    REQUIRE(r.retirements.size() == 2);
    CHECK(r.retirements[0].key.index == 0);
    CHECK(r.retirements[1].key.index == 1);
    CHECK(r.retirements[0].reason == LrpRetireReason::Orphaned);
    REQUIRE(r.deletions.size() == 1);
    CHECK(r.deletions[0].reason == LrpDeleteReason::OrphanedSuspect);
    CHECK(r.start_requests.empty());  // a stale UNCLAIMED orphan is never auctioned
    CHECK(apply_effects(in.actual, r).empty());
  }
  SECTION("when the domain is stale the orphans are left alone") {
    in.fresh_domains = {"other"};
    CHECK(effects_empty(converge_lrps(in)));
  }
}

TEST_CASE("converge_lrps re-auctions stale UNCLAIMED instances", "[convergence]") {
  auto in = input_at(kT0);
  const DesiredLrp web = desired("web", 1);
  in.desired = {web};

  SECTION("when the row has been UNCLAIMED for exactly 30 s it is not yet auctioned") {
    in.actual = {actual("web", 0, S::Unclaimed, "", Presence::Ordinary, kT0 - 30 * kSecond)};
    CHECK(effects_empty(converge_lrps(in)));
  }
  SECTION("when it has been UNCLAIMED for longer it is auctioned again, the row unchanged") {
    in.actual = {actual("web", 0, S::Unclaimed, "", Presence::Ordinary, kT0 - 30 * kSecond - 1)};
    in.actual[0].placement_error = "insufficient resources: memory";
    const auto r = converge_lrps(in);
    CHECK(r.start_requests == std::vector{start_request(web, 0)});
    CHECK(r.changes.empty());
    CHECK(r.creations.empty());
    CHECK(r.counters.stale_unclaimed == 1);
  }
}

TEST_CASE("converge_lrps keeps evacuating rows while their cell lives", "[convergence]") {
  auto in = input_at(kT0);
  in.desired = {desired("web", 1)};
  // The draining cell-b still serves; the ordinary row awaits its replacement placement.
  const ActualLrp evacuating = actual("web", 0, S::Running, "cell-b", Presence::Evacuating);
  in.actual = {evacuating, actual("web", 0, S::Unclaimed, "", Presence::Ordinary, kT0)};

  SECTION("when the evacuating cell is live and the replacement pending, nothing is removed") {
    const auto r = converge_lrps(in);
    CHECK(effects_empty(r));
    CHECK(r.counters.evacuating == 1);
  }
  SECTION("when the replacement is RUNNING the evacuating copy is still left to its rep") {
    in.actual[1] = actual("web", 0, S::Running, "cell-a");
    CHECK(effects_empty(converge_lrps(in)));
  }
  SECTION("when the evacuating cell is gone the row is deleted") {
    in.live_cells = {"cell-a"};
    const auto r = converge_lrps(in);
    REQUIRE(r.deletions.size() == 1);
    CHECK(r.deletions[0].row == evacuating);
    CHECK(r.deletions[0].reason == LrpDeleteReason::EvacuatingCellGone);
    const auto rows = apply_effects(in.actual, r);
    CHECK(find_row(rows, "web", 0, Presence::Evacuating) == nullptr);
    CHECK(find_row(rows, "web", 0, Presence::Ordinary) != nullptr);
  }
  SECTION("when no cell is live every evacuating row is deleted, desired or not") {
    in.live_cells.clear();
    in.actual.push_back(actual("gone", 0, S::Running, "cell-a", Presence::Evacuating));
    const auto r = converge_lrps(in);
    CHECK(r.deletions.size() == 2);
    CHECK(r.missing_cells == std::vector<std::string>{"cell-a", "cell-b"});
  }
}

TEST_CASE("converge_lrps emits at most one effect per row, in a stable order", "[convergence]") {
  auto in = input_at(kT0);
  in.desired = {desired("a", 2), desired("b", 1), desired("c", 3), desired("d", 1, "stale")};
  in.actual = {
      actual("a", 0, S::Running, "cell-lost"),                              // suspected
      actual("a", 1, S::Running, "cell-lost", Presence::Suspect),           // keeps waiting
      actual("a", 1, S::Claimed, "cell-lost2"),                             // unclaimed
      actual("a", 1, S::Running, "cell-lost", Presence::Evacuating),        // pruned
      actual("b", 0, S::Running, "cell-a", Presence::Suspect),              // promoted
      crashed("b", 0, 1, kT0),                                              // superseded
      actual("c", 0, S::Unclaimed, "", Presence::Ordinary, kT0 - kMinute),  // re-auctioned
      crashed("c", 2, 3, kT0 - kMinute),                                    // restarted
      actual("c", 5, S::Running, "cell-lost"),                              // retired
      actual("d", 1, S::Running, "cell-lost"),                              // stale: kept
      actual("e", 0, S::Crashed, "", Presence::Ordinary, kT0 - kMinute),    // orphan
  };
  const auto r = converge_lrps(in);
  const auto rows = apply_effects(in.actual, r);  // fails on a second effect for a row

  CHECK(find_row(rows, "a", 0, Presence::Suspect)->instance_key.cell_id == "cell-lost");
  CHECK(find_row(rows, "a", 0, Presence::Ordinary)->state == S::Unclaimed);
  CHECK(find_row(rows, "a", 1, Presence::Ordinary)->state == S::Unclaimed);
  CHECK(find_row(rows, "a", 1, Presence::Evacuating) == nullptr);
  CHECK(find_row(rows, "b", 0, Presence::Ordinary)->instance_key.cell_id == "cell-a");
  CHECK(find_row(rows, "b", 0, Presence::Suspect) == nullptr);
  CHECK(find_row(rows, "c", 1, Presence::Ordinary)->state == S::Unclaimed);
  CHECK(find_row(rows, "c", 2, Presence::Ordinary)->state == S::Unclaimed);
  CHECK(find_row(rows, "c", 5, Presence::Ordinary) == nullptr);
  CHECK(find_row(rows, "d", 0, Presence::Ordinary)->state == S::Unclaimed);
  CHECK(find_row(rows, "d", 1, Presence::Ordinary) != nullptr);
  CHECK(find_row(rows, "e", 0, Presence::Ordinary) == nullptr);

  std::vector<std::pair<std::string, std::int32_t>> auctioned;
  for (const auto& s : r.start_requests) auctioned.emplace_back(s.process_guid, s.index);
  CHECK(auctioned == std::vector<std::pair<std::string, std::int32_t>>{
                         {"a", 0}, {"c", 0}, {"c", 1}, {"c", 2}, {"d", 0}});
  CHECK(r.missing_cells == std::vector<std::string>{"cell-lost", "cell-lost2"});

  SECTION("when the input order changes the result does not") {
    auto shuffled = in;
    std::mt19937 rng(42);
    std::shuffle(shuffled.actual.begin(), shuffled.actual.end(), rng);
    std::shuffle(shuffled.desired.begin(), shuffled.desired.end(), rng);
    const auto again = converge_lrps(shuffled);
    CHECK(again.start_requests == r.start_requests);
    CHECK(apply_effects(in.actual, again) == rows);
  }
}

TEST_CASE("converge_lrps ignores a duplicated row after the first", "[convergence]") {
  auto in = input_at(kT0);
  in.desired = {desired("web", 1)};
  SECTION("when an index has two ORDINARY rows the first one in the input is used") {
    in.actual = {actual("web", 0, S::Running, "cell-a"), crashed("web", 0, 1, kT0)};
    CHECK(effects_empty(converge_lrps(in)));
    std::swap(in.actual[0], in.actual[1]);
    CHECK(converge_lrps(in).changes.size() == 1);  // now the restartable crash comes first
  }
}

TEST_CASE("converge_lrps counts rows for metrics", "[convergence]") {
  auto in = input_at(kT0);
  in.desired = {desired("a", 4), desired("b", 1)};
  in.actual = {actual("a", 0, S::Unclaimed),
               actual("a", 1, S::Claimed, "cell-a"),
               actual("a", 2, S::Running, "cell-a"),
               crashed("a", 3, 5, kT0),
               actual("a", 2, S::Running, "cell-x", Presence::Suspect),
               actual("b", 0, S::Claimed, "cell-x", Presence::Suspect),
               actual("b", 0, S::Unclaimed)};
  const auto c = converge_lrps(in).counters;
  CHECK(c.desired_instances == 5);
  CHECK(c.unclaimed == 2);
  CHECK(c.claimed == 1);
  CHECK(c.running == 1);
  CHECK(c.crashed == 1);
  CHECK(c.crashing_desired == 1);
  CHECK(c.suspect_running == 1);
  CHECK(c.suspect_claimed == 1);
  CHECK(c.live_cells == 2);
  CHECK(c.fresh_domains == 1);
}

}  // namespace
}  // namespace cupola::bbs
