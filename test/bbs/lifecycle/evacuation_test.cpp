#include "bbs/src/lifecycle/evacuation.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "bbs/api/models/errors.h"
#include "bbs/src/lifecycle/actual_lrp_lifecycle.h"

using namespace cupola;
using namespace cupola::bbs;

namespace {

constexpr std::int64_t kNow = 1'000'000'000'000;

const ActualLrpKey kKey{"pg-1", 0, "cf-apps"};
const ActualLrpInstanceKey kMine{"ig-1", "draining-cell"};
const ActualLrpInstanceKey kOther{"ig-2", "cell-2"};
const ActualLrpNetInfo kNet{"10.0.0.1", {{8080, 61000}}, "172.16.0.4"};

ActualLrp row(ActualLrpState state, Presence presence = Presence::Ordinary,
              ActualLrpInstanceKey ik = {}) {
  ActualLrp r;
  r.key = kKey;
  r.state = state;
  r.presence = presence;
  r.instance_key = std::move(ik);
  if (state == ActualLrpState::Running) r.net_info = kNet;
  r.routable = true;
  r.availability_zone = "z1";
  r.crash_count = 1;
  r.since = 1;
  r.modification_tag = {"epoch-" + std::string(to_string(presence)), 3};
  return r;
}

EvacuateRunningRequest running_request(ActualLrpInstanceKey ik = kMine) {
  return EvacuateRunningRequest{kKey, std::move(ik), kNet, std::nullopt, std::nullopt};
}

ErrorType type_of(const Error& e) { return error_type_of(e); }

// The rows after `c` is written, in presence order (what the store does).
std::vector<ActualLrp> after_writing(std::vector<ActualLrp> rows, const ActualLrpChanges& c) {
  for (const auto& r : c.removed) {
    std::erase_if(rows, [&](const ActualLrp& x) { return x.presence == r.presence; });
  }
  for (const auto& [before, after] : c.changed) {
    for (auto& x : rows) {
      if (x.presence == before.presence) x = after;
    }
  }
  for (const auto& r : c.created) rows.push_back(r);
  std::sort(rows.begin(), rows.end(),
            [](const ActualLrp& a, const ActualLrp& b) { return a.presence < b.presence; });
  return rows;
}

const ActualLrp* find(const std::vector<ActualLrp>& rows, Presence p) {
  return find_presence(rows, p);
}

}  // namespace

TEST_CASE("evacuate_claimed") {
  SECTION("the caller's claimed instance goes back to UNCLAIMED and is auctioned") {
    auto d = decide_evacuate_claimed({row(ActualLrpState::Claimed, Presence::Ordinary, kMine)},
                                     kMine, kNow);
    REQUIRE(d.ok());
    CHECK_FALSE(d->keep_container);
    CHECK(d->auction);
    REQUIRE(d->changes.changed.size() == 1);
    const auto& after = d->changes.changed[0].second;
    CHECK(after.state == ActualLrpState::Unclaimed);
    CHECK(after.instance_key.empty());
    CHECK(after.since == kNow);
    CHECK(after.modification_tag == ModificationTag{"epoch-ORDINARY", 4});
  }
  SECTION("the caller's evacuating or suspect copy is deleted, the ordinary row untouched") {
    for (Presence p : {Presence::Evacuating, Presence::Suspect}) {
      std::vector<ActualLrp> rows{row(ActualLrpState::Claimed, Presence::Ordinary, kOther),
                                  row(ActualLrpState::Running, p, kMine)};
      auto d = decide_evacuate_claimed(rows, kMine, kNow);
      REQUIRE(d.ok());
      CHECK_FALSE(d->keep_container);
      CHECK_FALSE(d->auction);
      CHECK(d->changes.changed.empty());
      REQUIRE(d->changes.removed.size() == 1);
      CHECK(d->changes.removed[0].presence == p);
    }
  }
  SECTION("another instance's row is left alone") {
    auto d = decide_evacuate_claimed({row(ActualLrpState::Claimed, Presence::Ordinary, kOther)},
                                     kMine, kNow);
    REQUIRE(d.ok());
    CHECK(d->changes.empty());
    CHECK_FALSE(d->auction);
    CHECK_FALSE(d->keep_container);
  }
}

TEST_CASE("evacuate_running") {
  SECTION("the caller's running instance is copied to an EVACUATING row and auctioned again") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Running, Presence::Ordinary, kMine)};
    auto d = decide_evacuate_running(rows, running_request(), true, kNow, "new-epoch");
    REQUIRE(d.ok());
    CHECK(d->keep_container);
    CHECK(d->auction);
    REQUIRE(d->changes.created.size() == 1);
    const auto& evac = d->changes.created[0];
    CHECK(evac.presence == Presence::Evacuating);
    CHECK(evac.state == ActualLrpState::Running);
    CHECK(evac.instance_key == kMine);
    CHECK(evac.net_info == kNet);
    CHECK(evac.routable);
    CHECK(evac.availability_zone == "z1");
    CHECK(evac.since == kNow);
    CHECK(evac.modification_tag == ModificationTag{"new-epoch", 0});
    REQUIRE(d->changes.changed.size() == 1);
    const auto& ord = d->changes.changed[0].second;
    CHECK(ord.presence == Presence::Ordinary);
    CHECK(ord.state == ActualLrpState::Unclaimed);
    CHECK(ord.instance_key.empty());
    CHECK(ord.net_info.empty());
    CHECK(d->changes.removed.empty());
  }
  SECTION("a claimed instance evacuates as RUNNING, with the request's routable and zone") {
    auto req = running_request();
    req.routable = false;
    req.availability_zone = "z2";
    auto d = decide_evacuate_running({row(ActualLrpState::Claimed, Presence::Ordinary, kMine)}, req,
                                     true, kNow, "new-epoch");
    REQUIRE(d.ok());
    CHECK(d->keep_container);
    REQUIRE(d->changes.created.size() == 1);
    CHECK(d->changes.created[0].state == ActualLrpState::Running);
    CHECK_FALSE(d->changes.created[0].routable);
    CHECK(d->changes.created[0].availability_zone == "z2");
  }
  SECTION("the caller's suspect instance becomes the EVACUATING row; no new auction") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Claimed, Presence::Ordinary, kOther),
                                row(ActualLrpState::Running, Presence::Suspect, kMine)};
    auto d = decide_evacuate_running(rows, running_request(), true, kNow, "new-epoch");
    REQUIRE(d.ok());
    CHECK(d->keep_container);
    CHECK_FALSE(d->auction);
    REQUIRE(d->changes.created.size() == 1);
    CHECK(d->changes.created[0].presence == Presence::Evacuating);
    REQUIRE(d->changes.removed.size() == 1);
    CHECK(d->changes.removed[0].presence == Presence::Suspect);
    CHECK(d->changes.changed.empty());
  }
  SECTION("while the replacement is unplaced the caller's EVACUATING row is kept up to date") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Unclaimed),
                                row(ActualLrpState::Running, Presence::Evacuating, kMine)};
    auto same = decide_evacuate_running(rows, running_request(), true, kNow, "e");
    REQUIRE(same.ok());
    CHECK(same->keep_container);
    CHECK(same->changes.empty());
    auto req = running_request();
    req.net_info.address = "10.0.0.2";
    auto moved = decide_evacuate_running(rows, req, true, kNow, "e");
    REQUIRE(moved.ok());
    CHECK(moved->keep_container);
    CHECK_FALSE(moved->auction);
    REQUIRE(moved->changes.changed.size() == 1);
    const auto& after = moved->changes.changed[0].second;
    CHECK(after.net_info.address == "10.0.0.2");
    CHECK(after.modification_tag == ModificationTag{"epoch-EVACUATING", 4});
  }
  SECTION("a caller without a row, its replacement claimed elsewhere, gets an EVACUATING row") {
    auto d = decide_evacuate_running({row(ActualLrpState::Claimed, Presence::Ordinary, kOther)},
                                     running_request(), true, kNow, "new-epoch");
    REQUIRE(d.ok());
    CHECK(d->keep_container);
    CHECK_FALSE(d->auction);
    REQUIRE(d->changes.created.size() == 1);
    CHECK(d->changes.created[0].key == kKey);
    CHECK(d->changes.created[0].instance_key == kMine);
    CHECK(d->changes.created[0].crash_count == 0);
    CHECK(d->changes.changed.empty());
  }
  SECTION("another instance's EVACUATING row means the caller stops, writing nothing") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Unclaimed),
                                row(ActualLrpState::Running, Presence::Evacuating, kOther)};
    auto d = decide_evacuate_running(rows, running_request(), true, kNow, "e");
    REQUIRE(d.ok());
    CHECK_FALSE(d->keep_container);
    CHECK(d->changes.empty());
  }
  SECTION("the caller's own ordinary instance replaces a stale EVACUATING row of another") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Running, Presence::Ordinary, kMine),
                                row(ActualLrpState::Running, Presence::Evacuating, kOther)};
    auto d = decide_evacuate_running(rows, running_request(), true, kNow, "new-epoch");
    REQUIRE(d.ok());
    CHECK(d->keep_container);
    REQUIRE(d->changes.removed.size() == 1);
    CHECK(d->changes.removed[0].instance_key == kOther);
    REQUIRE(d->changes.created.size() == 1);
    CHECK(d->changes.created[0].instance_key == kMine);
  }
  SECTION("once the replacement runs or crashed, the caller's EVACUATING row goes") {
    for (auto ord :
         {row(ActualLrpState::Running, Presence::Ordinary, kOther), row(ActualLrpState::Crashed)}) {
      std::vector<ActualLrp> rows{ord, row(ActualLrpState::Running, Presence::Evacuating, kMine)};
      auto d = decide_evacuate_running(rows, running_request(), true, kNow, "e");
      REQUIRE(d.ok());
      CHECK_FALSE(d->keep_container);
      REQUIRE(d->changes.removed.size() == 1);
      CHECK(d->changes.removed[0].presence == Presence::Evacuating);
      CHECK(d->changes.changed.empty());
      CHECK(d->changes.created.empty());
    }
  }
  SECTION("when the desired LRP is gone the caller's EVACUATING row goes, nothing else") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Unclaimed),
                                row(ActualLrpState::Running, Presence::Evacuating, kMine)};
    auto d = decide_evacuate_running(rows, running_request(), false, kNow, "e");
    REQUIRE(d.ok());
    CHECK_FALSE(d->keep_container);
    CHECK_FALSE(d->auction);
    REQUIRE(d->changes.removed.size() == 1);
    CHECK(d->changes.removed[0].presence == Presence::Evacuating);
    auto held = decide_evacuate_running({row(ActualLrpState::Running, Presence::Ordinary, kMine)},
                                        running_request(), false, kNow, "e");
    REQUIRE(held.ok());
    CHECK_FALSE(held->keep_container);
    CHECK(held->changes.empty());
  }
  SECTION("no rows: nothing to keep") {
    auto d = decide_evacuate_running({}, running_request(), true, kNow, "e");
    REQUIRE(d.ok());
    CHECK_FALSE(d->keep_container);
    CHECK(d->changes.empty());
  }
}

TEST_CASE("an evacuated instance serves until its replacement is claimed and started") {
  std::vector<ActualLrp> rows{row(ActualLrpState::Running, Presence::Ordinary, kMine)};
  auto evacuated = decide_evacuate_running(rows, running_request(), true, kNow, "evac-epoch");
  REQUIRE(evacuated.ok());
  rows = after_writing(rows, evacuated->changes);
  REQUIRE(rows.size() == 2);
  CHECK(find(rows, Presence::Ordinary)->state == ActualLrpState::Unclaimed);
  CHECK(find(rows, Presence::Evacuating)->instance_key == kMine);

  auto claimed = decide_claim(rows, kOther, kNow + 1);
  REQUIRE(claimed.ok());
  rows = after_writing(rows, *claimed);
  CHECK(find(rows, Presence::Ordinary)->state == ActualLrpState::Claimed);
  REQUIRE(find(rows, Presence::Evacuating));

  // The draining rep asks again while the replacement is only claimed: keep serving.
  auto again = decide_evacuate_running(rows, running_request(), true, kNow + 2, "e");
  REQUIRE(again.ok());
  CHECK(again->keep_container);
  CHECK(again->changes.empty());

  StartRequest start{kKey, kOther, {"10.0.0.9", {{8080, 61001}}, ""}, true, "z1"};
  auto started = decide_start(rows, start, kNow + 3, "e");
  REQUIRE(started.ok());
  REQUIRE(started->removed.size() == 1);
  CHECK(started->removed[0].presence == Presence::Evacuating);
  CHECK(started->removed[0].instance_key == kMine);
  rows = after_writing(rows, *started);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].state == ActualLrpState::Running);
  CHECK(rows[0].instance_key == kOther);

  // The draining rep's next report learns it may stop.
  auto last = decide_evacuate_running(rows, running_request(), true, kNow + 4, "e");
  REQUIRE(last.ok());
  CHECK_FALSE(last->keep_container);
  CHECK(last->changes.empty());
}

TEST_CASE("evacuate_stopped") {
  SECTION("the caller's EVACUATING or SUSPECT copy goes before its ordinary row") {
    for (Presence p : {Presence::Evacuating, Presence::Suspect}) {
      std::vector<ActualLrp> rows{row(ActualLrpState::Claimed, Presence::Ordinary, kOther),
                                  row(ActualLrpState::Running, p, kMine)};
      auto d = decide_evacuate_stopped(rows, kMine);
      REQUIRE(d.ok());
      CHECK_FALSE(d->keep_container);
      REQUIRE(d->changes.removed.size() == 1);
      CHECK(d->changes.removed[0].presence == p);
    }
  }
  SECTION("the caller's ordinary row goes; another's is ResourceNotFound") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Running, Presence::Ordinary, kMine)};
    auto d = decide_evacuate_stopped(rows, kMine);
    REQUIRE(d.ok());
    REQUIRE(d->changes.removed.size() == 1);
    CHECK(d->changes.removed[0].presence == Presence::Ordinary);
    auto other = decide_evacuate_stopped(rows, kOther);
    REQUIRE_FALSE(other.ok());
    CHECK(type_of(other.error()) == ErrorType::ResourceNotFound);
  }
}

TEST_CASE("evacuate_crashed") {
  SECTION("the caller's EVACUATING or SUSPECT copy is deleted") {
    for (Presence p : {Presence::Evacuating, Presence::Suspect}) {
      std::vector<ActualLrp> rows{row(ActualLrpState::Unclaimed),
                                  row(ActualLrpState::Running, p, kMine)};
      auto d = decide_evacuate_crashed(rows, kKey, kMine, "oom", kNow);
      REQUIRE(d.ok());
      CHECK_FALSE(d->keep_container);
      REQUIRE(d->changes.removed.size() == 1);
      CHECK(d->changes.removed[0].presence == p);
      CHECK_FALSE(d->crashed.has_value());
    }
  }
  SECTION("the caller's ordinary instance crashes by the crash rules, without an auction") {
    auto d = decide_evacuate_crashed({row(ActualLrpState::Running, Presence::Ordinary, kMine)},
                                     kKey, kMine, "oom", kNow);
    REQUIRE(d.ok());
    CHECK_FALSE(d->keep_container);
    CHECK_FALSE(d->auction);
    REQUIRE(d->changes.changed.size() == 1);
    const auto& after = d->changes.changed[0].second;
    CHECK(after.crash_count == 1);  // it ran for more than 5 minutes
    CHECK(after.state == ActualLrpState::Unclaimed);
    CHECK(after.crash_reason == "oom");
    REQUIRE(d->crashed.has_value());
    CHECK(d->crashed->first.state == ActualLrpState::Running);
  }
  SECTION("another instance's row cannot be crashed; no row is ResourceNotFound") {
    auto other = decide_evacuate_crashed({row(ActualLrpState::Running, Presence::Ordinary, kOther)},
                                         kKey, kMine, "oom", kNow);
    REQUIRE_FALSE(other.ok());
    CHECK(type_of(other.error()) == ErrorType::ActualLRPCannotBeCrashed);
    auto none = decide_evacuate_crashed({}, kKey, kMine, "oom", kNow);
    REQUIRE_FALSE(none.ok());
    CHECK(type_of(none.error()) == ErrorType::ResourceNotFound);
  }
}

TEST_CASE("remove_evacuating") {
  std::vector<ActualLrp> rows{row(ActualLrpState::Running, Presence::Ordinary, kMine),
                              row(ActualLrpState::Running, Presence::Evacuating, kOther)};
  SECTION("the named EVACUATING row is deleted") {
    auto c = decide_remove_evacuating(rows, kOther);
    REQUIRE(c.ok());
    REQUIRE(c->removed.size() == 1);
    CHECK(c->removed[0].presence == Presence::Evacuating);
  }
  SECTION("another instance's EVACUATING row is ActualLRPCannotBeRemoved") {
    auto c = decide_remove_evacuating(rows, kMine);
    REQUIRE_FALSE(c.ok());
    CHECK(type_of(c.error()) == ErrorType::ActualLRPCannotBeRemoved);
  }
  SECTION("without an EVACUATING row it is ResourceNotFound") {
    auto c = decide_remove_evacuating({rows[0]}, kMine);
    REQUIRE_FALSE(c.ok());
    CHECK(type_of(c.error()) == ErrorType::ResourceNotFound);
  }
}
