#include <catch2/catch.hpp>

#include "bbs/api/models/errors.h"
#include "bbs/src/controllers/lrp_controller.h"
#include "test/bbs/controllers/harness.h"

using namespace cupola;
using namespace cupola::bbs;
using cupola::bbs::test::Harness;
using cupola::bbs::test::web_app;

namespace {

const ActualLrpKey kKey{"app-1-v1", 0, "cf-apps"};
const ActualLrpInstanceKey kDraining{"ig-1", "draining-cell"};
const ActualLrpInstanceKey kReplacement{"ig-2", "cell-2"};
const ActualLrpNetInfo kNet{"10.0.0.1", {{8080, 61000}}, ""};

EvacuateRunningRequest running_request() {
  return EvacuateRunningRequest{kKey, kDraining, kNet, true, std::string("z1")};
}

const ActualLrp* row_of(const std::vector<ActualLrp>& rows, Presence p) {
  return find_presence(rows, p);
}

}  // namespace

TEST_CASE("a running instance on a draining cell evacuates") {
  Harness h;
  REQUIRE(h.run(h.lrps.desire(web_app(1))).ok());
  REQUIRE(h.run(h.lrps.claim("app-1-v1", 0, kDraining)).ok());
  REQUIRE(h.run(h.lrps.start({kKey, kDraining, kNet, true, "z1"})).ok());
  h.auctioneer.lrps.clear();
  h.event_types();

  auto keep = h.run(h.lrps.evacuate_running(running_request()));
  REQUIRE(keep.ok());
  CHECK(*keep);
  auto rows = h.actual.rows();
  REQUIRE(rows.size() == 2);
  CHECK(row_of(rows, Presence::Ordinary)->state == ActualLrpState::Unclaimed);
  CHECK(row_of(rows, Presence::Evacuating)->state == ActualLrpState::Running);
  CHECK(row_of(rows, Presence::Evacuating)->instance_key == kDraining);
  REQUIRE(h.auctioneer.lrps.size() == 1);
  CHECK(h.auctioneer.lrps[0].process_guid == "app-1-v1");
  CHECK(h.auctioneer.lrps[0].index == 0);
  CHECK(h.event_types() == std::vector<std::string>{"actual_lrp_created", "actual_lrp_changed"});

  SECTION("the replacement's start removes the evacuating row and ends the evacuation") {
    REQUIRE(h.run(h.lrps.claim("app-1-v1", 0, kReplacement)).ok());
    REQUIRE(h.run(h.lrps.start({kKey, kReplacement, kNet, true, "z1"})).ok());
    rows = h.actual.rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].instance_key == kReplacement);
    h.event_types();
    auto again = h.run(h.lrps.evacuate_running(running_request()));
    REQUIRE(again.ok());
    CHECK_FALSE(*again);
    CHECK(h.event_types().empty());
  }
  SECTION("when the desired LRP is removed the evacuating row goes") {
    REQUIRE(h.run(h.lrps.remove("app-1-v1")).ok());
    h.event_types();
    auto again = h.run(h.lrps.evacuate_running(running_request()));
    REQUIRE(again.ok());
    CHECK_FALSE(*again);
    CHECK(h.event_types() == std::vector<std::string>{"actual_lrp_removed"});
    CHECK(row_of(h.actual.rows(), Presence::Evacuating) == nullptr);
  }
  SECTION("the draining rep stops its copy") {
    auto stopped = h.run(h.lrps.evacuate_stopped(kKey, kDraining));
    REQUIRE(stopped.ok());
    CHECK_FALSE(*stopped);
    CHECK(row_of(h.actual.rows(), Presence::Evacuating) == nullptr);
    CHECK(row_of(h.actual.rows(), Presence::Ordinary) != nullptr);
  }
  SECTION("remove_evacuating checks the instance key") {
    auto wrong = h.run(h.lrps.remove_evacuating(kKey, kReplacement));
    REQUIRE_FALSE(wrong.ok());
    CHECK(error_type_of(wrong.error()) == ErrorType::ActualLRPCannotBeRemoved);
    REQUIRE(h.run(h.lrps.remove_evacuating(kKey, kDraining)).ok());
    CHECK(h.event_types() == std::vector<std::string>{"actual_lrp_removed"});
    auto gone = h.run(h.lrps.remove_evacuating(kKey, kDraining));
    REQUIRE_FALSE(gone.ok());
    CHECK(error_type_of(gone.error()) == ErrorType::ResourceNotFound);
  }
}

TEST_CASE("a claimed instance on a draining cell goes back to auction") {
  Harness h;
  REQUIRE(h.run(h.lrps.desire(web_app(1))).ok());
  REQUIRE(h.run(h.lrps.claim("app-1-v1", 0, kDraining)).ok());
  h.auctioneer.lrps.clear();
  h.event_types();
  auto keep = h.run(h.lrps.evacuate_claimed(kKey, kDraining));
  REQUIRE(keep.ok());
  CHECK_FALSE(*keep);
  CHECK(h.actual.rows().at(0).state == ActualLrpState::Unclaimed);
  CHECK(h.auctioneer.lrps.size() == 1);
  CHECK(h.event_types() == std::vector<std::string>{"actual_lrp_changed"});
}

TEST_CASE("a crash on a draining cell is recorded without an auction") {
  Harness h;
  REQUIRE(h.run(h.lrps.desire(web_app(1))).ok());
  REQUIRE(h.run(h.lrps.claim("app-1-v1", 0, kDraining)).ok());
  REQUIRE(h.run(h.lrps.start({kKey, kDraining, kNet, true, "z1"})).ok());
  h.auctioneer.lrps.clear();
  h.event_types();
  auto keep = h.run(h.lrps.evacuate_crashed(kKey, kDraining, "exited with status 1"));
  REQUIRE(keep.ok());
  CHECK_FALSE(*keep);
  auto row = h.actual.rows().at(0);
  CHECK(row.crash_count == 1);
  CHECK(row.crash_reason == "exited with status 1");
  CHECK(h.auctioneer.lrps.empty());
  CHECK(h.event_types() == std::vector<std::string>{"actual_lrp_crashed", "actual_lrp_changed"});
}

TEST_CASE("evacuation calls name their invalid fields") {
  Harness h;
  auto bad = h.run(h.lrps.evacuate_running(EvacuateRunningRequest{}));
  REQUIRE_FALSE(bad.ok());
  CHECK(error_type_of(bad.error()) == ErrorType::InvalidRequest);
  CHECK(bad.error().message ==
        "Invalid field: process_guid, Invalid field: domain, Invalid field: "
        "actual_lrp_instance_key, Invalid field: address");
  auto claimed = h.run(h.lrps.evacuate_claimed({"app-1-v1", -1, "cf-apps"}, {"ig-1", ""}));
  REQUIRE_FALSE(claimed.ok());
  CHECK(claimed.error().message == "Invalid field: index, Invalid field: actual_lrp_instance_key");
  CHECK(h.actual.mutate_calls.empty());
}
