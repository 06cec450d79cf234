#include "bbs/src/lifecycle/actual_lrp_lifecycle.h"

#include <catch2/catch.hpp>

#include "bbs/api/models/errors.h"

using namespace cupola;
using namespace cupola::bbs;

namespace {

constexpr std::int64_t kNow = 1'000'000'000'000;

ActualLrp row(ActualLrpState state, Presence presence = Presence::Ordinary,
              ActualLrpInstanceKey ik = {}) {
  ActualLrp r;
  r.key = {"pg-1", 0, "cf-apps"};
  r.state = state;
  r.presence = presence;
  r.instance_key = std::move(ik);
  if (state == ActualLrpState::Running) r.net_info = {"10.0.0.1", {{8080, 61000}}, ""};
  r.since = 1;
  r.modification_tag = {"epoch", 3};
  return r;
}

const ActualLrpInstanceKey kMine{"ig-1", "cell-1"};
const ActualLrpInstanceKey kOther{"ig-2", "cell-2"};

ErrorType type_of(const Error& e) { return error_type_of(e); }

}  // namespace

TEST_CASE("claim") {
  SECTION("an unclaimed instance is claimed with the cell's key") {
    auto c = decide_claim({row(ActualLrpState::Unclaimed)}, kMine, kNow);
    REQUIRE(c.ok());
    REQUIRE(c->changed.size() == 1);
    const auto& after = c->changed[0].second;
    CHECK(after.state == ActualLrpState::Claimed);
    CHECK(after.instance_key == kMine);
    CHECK(after.since == kNow);
    CHECK(after.modification_tag == ModificationTag{"epoch", 4});
  }
  SECTION("claiming again is a no-op, another cell is refused") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Claimed, Presence::Ordinary, kMine)};
    auto again = decide_claim(rows, kMine, kNow);
    REQUIRE(again.ok());
    CHECK(again->empty());
    auto other = decide_claim(rows, kOther, kNow);
    REQUIRE_FALSE(other.ok());
    CHECK(type_of(other.error()) == ErrorType::ActualLRPCannotBeClaimed);
  }
  SECTION("a crashed instance cannot be claimed") {
    auto c = decide_claim({row(ActualLrpState::Crashed)}, kMine, kNow);
    REQUIRE_FALSE(c.ok());
    CHECK(type_of(c.error()) == ErrorType::ActualLRPCannotBeClaimed);
  }
  SECTION("a claim for a suspect instance changes nothing") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Unclaimed),
                                row(ActualLrpState::Running, Presence::Suspect, kMine)};
    auto c = decide_claim(rows, kMine, kNow);
    REQUIRE(c.ok());
    CHECK(c->empty());
  }
  SECTION("no row is ResourceNotFound") {
    auto c = decide_claim({}, kMine, kNow);
    REQUIRE_FALSE(c.ok());
    CHECK(type_of(c.error()) == ErrorType::ResourceNotFound);
  }
}

TEST_CASE("start") {
  StartRequest req{{"pg-1", 0, "cf-apps"}, kMine, {"10.0.0.9", {{8080, 61001}}, ""}, true, "z1"};
  SECTION("a claimed instance starts and replaces its suspect and evacuating copies") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Claimed, Presence::Ordinary, kMine),
                                row(ActualLrpState::Running, Presence::Suspect, kOther),
                                row(ActualLrpState::Running, Presence::Evacuating, kOther)};
    rows[2].instance_key = {"ig-3", "cell-3"};
    auto c = decide_start(rows, req, kNow, "new-epoch");
    REQUIRE(c.ok());
    REQUIRE(c->changed.size() == 1);
    CHECK(c->changed[0].second.state == ActualLrpState::Running);
    CHECK(c->changed[0].second.net_info.address == "10.0.0.9");
    CHECK(c->changed[0].second.availability_zone == "z1");
    CHECK(c->removed.size() == 2);
  }
  SECTION("without an ordinary row one is created") {
    auto c = decide_start({}, req, kNow, "new-epoch");
    REQUIRE(c.ok());
    REQUIRE(c->created.size() == 1);
    CHECK(c->created[0].modification_tag == ModificationTag{"new-epoch", 0});
    CHECK(c->created[0].key.process_guid == "pg-1");
  }
  SECTION("a repeat changes nothing") {
    auto running = row(ActualLrpState::Running, Presence::Ordinary, kMine);
    running.net_info = req.net_info;
    running.routable = true;
    running.availability_zone = "z1";
    auto c = decide_start({running}, req, kNow, "e");
    REQUIRE(c.ok());
    CHECK(c->empty());
  }
  SECTION("another cell cannot take over a running instance") {
    auto c =
        decide_start({row(ActualLrpState::Running, Presence::Ordinary, kOther)}, req, kNow, "e");
    REQUIRE_FALSE(c.ok());
    CHECK(type_of(c.error()) == ErrorType::ActualLRPCannotBeStarted);
  }
}

TEST_CASE("fail, remove, retire, unclaim") {
  SECTION("fail records the placement error on an unclaimed instance only") {
    auto c = decide_fail({row(ActualLrpState::Unclaimed)}, "insufficient resources: memory", kNow);
    REQUIRE(c.ok());
    CHECK(c->changed[0].second.placement_error == "insufficient resources: memory");
    auto bad = decide_fail({row(ActualLrpState::Running, Presence::Ordinary, kMine)}, "x", kNow);
    CHECK(type_of(bad.error()) == ErrorType::ActualLRPCannotBeFailed);
  }
  SECTION("remove checks the instance key when given") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Running, Presence::Ordinary, kMine)};
    CHECK(decide_remove(rows, std::nullopt)->removed.size() == 1);
    CHECK(decide_remove(rows, kMine)->removed.size() == 1);
    CHECK(type_of(decide_remove(rows, kOther).error()) == ErrorType::ResourceNotFound);
  }
  SECTION("retire deletes unplaced rows and asks the rep to stop placed ones") {
    auto unplaced = decide_retire({row(ActualLrpState::Crashed)}, true);
    CHECK(unplaced->changes.removed.size() == 1);
    CHECK_FALSE(unplaced->stop.has_value());
    std::vector<ActualLrp> placed{row(ActualLrpState::Running, Presence::Ordinary, kMine)};
    auto live = decide_retire(placed, true);
    CHECK(live->changes.empty());
    REQUIRE(live->stop.has_value());
    CHECK(live->stop->instance_key == kMine);
    auto gone = decide_retire(placed, false);
    CHECK(gone->changes.removed.size() == 1);
  }
  SECTION("unclaim is compare-and-set") {
    std::vector<ActualLrp> rows{row(ActualLrpState::Crashed)};
    auto ok = decide_unclaim(rows, {"epoch", 3}, kNow);
    REQUIRE(ok.ok());
    CHECK(ok->changed[0].second.state == ActualLrpState::Unclaimed);
    auto stale = decide_unclaim(rows, {"epoch", 2}, kNow);
    CHECK(type_of(stale.error()) == ErrorType::ResourceConflict);
  }
}
