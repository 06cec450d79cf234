// Cell loss: suspect rows, their replacements, and the return of the cell.
#include <catch2/catch.hpp>

#include "bbs/src/convergence/lrp_convergence.h"
#include "test/bbs/convergence/lrp_fixtures.h"

namespace cupola::bbs {
namespace {

using namespace cupola::bbs::testing;
using S = ActualLrpState;

// What the rep does when it places the replacement: claim, then start, on `cell`.
void place(std::vector<ActualLrp>& rows, const std::string& guid, std::int32_t index,
           ActualLrpState state, const std::string& cell, std::int64_t now) {
  for (auto& row : rows) {
    if (row.key.process_guid != guid || row.key.index != index ||
        row.presence != Presence::Ordinary) {
      continue;
    }
    const ActualLrp placed = actual(guid, index, state, cell);
    row.state = state;
    row.instance_key = placed.instance_key;
    row.net_info = placed.net_info;
    row.since = now;
    row.modification_tag = row.modification_tag.incremented();
  }
}

TEST_CASE("converge_lrps replaces instances on a lost cell and keeps them as SUSPECT",
          "[convergence][cell-loss]") {
  auto in = input_at(kT0);
  const DesiredLrp web = desired("web", 2);
  in.desired = {web};
  const ActualLrp lost = actual("web", 0, S::Running, "cell-x");
  in.actual = {lost, actual("web", 1, S::Running, "cell-a")};

  SECTION("when cell-x has no presence its RUNNING row becomes SUSPECT and is replaced") {
    const auto r = converge_lrps(in);
    REQUIRE(r.changes.size() == 1);
    CHECK(r.changes[0].reason == LrpChangeReason::Suspected);
    CHECK(r.changes[0].before == lost);
    ActualLrp expected = lost;
    expected.presence = Presence::Suspect;  // same state, cell and tag: still serving
    CHECK(r.changes[0].after == expected);
    REQUIRE(r.creations.size() == 1);
    CHECK(r.creations[0].key == lost.key);
    CHECK(r.creations[0].state == S::Unclaimed);
    CHECK(r.start_requests == std::vector{start_request(web, 0)});
    CHECK(r.missing_cells == std::vector<std::string>{"cell-x"});
    const auto rows = apply_effects(in.actual, r);
    CHECK(rows.size() == 3);
  }
  SECTION("when a CLAIMED row is on the lost cell it is handled the same way") {
    in.actual[0] = actual("web", 0, S::Claimed, "cell-x");
    const auto r = converge_lrps(in);
    REQUIRE(r.changes.size() == 1);
    CHECK(r.changes[0].after.presence == Presence::Suspect);
    CHECK(r.creations.size() == 1);
  }
  SECTION("when no cell is live at all every running instance becomes SUSPECT") {
    in.live_cells.clear();
    const auto r = converge_lrps(in);
    CHECK(r.changes.size() == 2);
    CHECK(r.creations.size() == 2);
    CHECK(r.start_requests.size() == 2);
  }
  SECTION("when the cell is only missing for an undesired index nothing is replaced") {
    in.desired[0].instances = 0;
    in.fresh_domains.clear();
    CHECK(effects_empty(converge_lrps(in)));
  }
}

TEST_CASE("converge_lrps removes the suspect once its replacement is RUNNING",
          "[convergence][cell-loss]") {
  auto in = input_at(kT0);
  in.desired = {desired("web", 1)};
  const ActualLrp lost = actual("web", 0, S::Running, "cell-x");
  in.actual = {lost};
  auto rows = apply_effects(in.actual, converge_lrps(in));
  REQUIRE(find_row(rows, "web", 0, Presence::Suspect) != nullptr);

  SECTION("when the replacement is only CLAIMED the suspect keeps serving") {
    place(rows, "web", 0, S::Claimed, "cell-a", kT0 + kSecond);
    in.actual = rows;
    in.now = kT0 + 30 * kSecond;
    const auto r = converge_lrps(in);
    CHECK(effects_empty(r));
    CHECK(r.counters.suspect_running == 1);
  }
  SECTION("when the replacement is RUNNING the suspect row is deleted") {
    place(rows, "web", 0, S::Running, "cell-a", kT0 + kSecond);
    in.actual = rows;
    in.now = kT0 + 30 * kSecond;
    const auto r = converge_lrps(in);
    REQUIRE(r.deletions.size() == 1);
    CHECK(r.deletions[0].reason == LrpDeleteReason::ReplacementRunning);
    CHECK(r.deletions[0].row.presence == Presence::Suspect);
    rows = apply_effects(rows, r);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].presence == Presence::Ordinary);
    CHECK(rows[0].instance_key.cell_id == "cell-a");
  }
  SECTION("when the replacement's cell is lost too it is unclaimed, and auctioned once stale") {
    place(rows, "web", 0, S::Running, "cell-y", kT0 + kSecond);
    in.actual = rows;
    in.now = kT0 + 30 * kSecond;
    auto r = converge_lrps(in);
    REQUIRE(r.changes.size() == 1);
    CHECK(r.changes[0].reason == LrpChangeReason::UnclaimedOnMissingCell);
    const ActualLrp& after = r.changes[0].after;
    CHECK(after.state == S::Unclaimed);
    CHECK(after.instance_key.empty());
    CHECK(after.net_info.empty());
    CHECK(after.since == in.now);
    CHECK(after.modification_tag == r.changes[0].before.modification_tag.incremented());
    CHECK(r.deletions.empty());  // the suspect stays: nothing else serves
    CHECK(r.creations.empty());
    CHECK(r.start_requests.empty());

    in.actual = apply_effects(rows, r);
    in.now += 30 * kSecond + 1;
    r = converge_lrps(in);
    CHECK(r.start_requests.size() == 1);
    CHECK(r.changes.empty());
  }
}

TEST_CASE("converge_lrps promotes a suspect whose cell comes back", "[convergence][cell-loss]") {
  auto in = input_at(kT0);
  in.desired = {desired("web", 1)};
  const ActualLrp lost = actual("web", 0, S::Running, "cell-x");
  in.actual = {lost};
  auto rows = apply_effects(in.actual, converge_lrps(in));
  in.live_cells.insert("cell-x");  // the rep heartbeats again
  in.now = kT0 + 30 * kSecond;

  SECTION("when the replacement is not placed yet it is deleted and the suspect is ORDINARY") {
    in.actual = rows;
    const auto r = converge_lrps(in);
    REQUIRE(r.deletions.size() == 1);
    CHECK(r.deletions[0].reason == LrpDeleteReason::SupersededByPromotion);
    CHECK(r.deletions[0].row.state == S::Unclaimed);
    REQUIRE(r.changes.size() == 1);
    CHECK(r.changes[0].reason == LrpChangeReason::Promoted);
    CHECK(r.start_requests.empty());  // the stale replacement is not auctioned as well
    rows = apply_effects(rows, r);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == lost);  // back as it was, same tag
  }
  SECTION("when the replacement is CLAIMED elsewhere it is deleted as well") {
    place(rows, "web", 0, S::Claimed, "cell-a", kT0 + kSecond);
    in.actual = rows;
    rows = apply_effects(rows, converge_lrps(in));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == lost);
  }
  SECTION("when the replacement is already RUNNING it wins and the suspect is deleted") {
    place(rows, "web", 0, S::Running, "cell-a", kT0 + kSecond);
    in.actual = rows;
    const auto r = converge_lrps(in);
    REQUIRE(r.deletions.size() == 1);
    CHECK(r.deletions[0].reason == LrpDeleteReason::ReplacementRunning);
    CHECK(r.changes.empty());
    rows = apply_effects(rows, r);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].instance_key.cell_id == "cell-a");
  }
  SECTION("when the desired LRP is gone in a fresh domain the suspect is deleted, not promoted") {
    in.desired.clear();
    in.actual = rows;
    const auto r = converge_lrps(in);
    CHECK(r.changes.empty());
    REQUIRE(r.deletions.size() == 1);
    CHECK(r.deletions[0].reason == LrpDeleteReason::OrphanedSuspect);
    CHECK(apply_effects(rows, r).empty());
  }
}

}  // namespace
}  // namespace cupola::bbs
