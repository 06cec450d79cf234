#include "bbs/src/controllers/lrp_controller.h"

#include <catch2/catch.hpp>

#include "bbs/api/models/errors.h"
#include "test/bbs/controllers/harness.h"

using namespace cupola;
using namespace cupola::bbs;
using cupola::bbs::test::Harness;
using cupola::bbs::test::web_app;
using namespace std::chrono_literals;

TEST_CASE("desiring an LRP creates unclaimed instances and asks for their auction") {
  Harness h;
  REQUIRE(h.run(h.lrps.desire(web_app(2))).ok());
  auto rows = h.actual.rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].state == ActualLrpState::Unclaimed);
  CHECK(rows[1].key.index == 1);
  CHECK_FALSE(rows[0].modification_tag.epoch.empty());
  CHECK(h.auctioneer.lrps.size() == 2);
  CHECK(h.auctioneer.lrps[1].memory_mb == 256);
  auto types = h.event_types();
  CHECK(types == std::vector<std::string>{"desired_lrp_created", "actual_lrp_created",
                                          "actual_lrp_created"});

  SECTION("desiring it again is ResourceExists and changes nothing") {
    auto again = h.run(h.lrps.desire(web_app(5)));
    REQUIRE_FALSE(again.ok());
    CHECK(error_type_of(again.error()) == ErrorType::ResourceExists);
    CHECK(h.actual.rows().size() == 2);
    CHECK(h.auctioneer.lrps.size() == 2);
    CHECK(h.event_types().empty());
  }
  SECTION("an invalid record names its fields and stores nothing") {
    auto bad = web_app(-1);
    bad.process_guid = "other";
    bad.root_fs = "";
    auto s = h.run(h.lrps.desire(bad));
    REQUIRE_FALSE(s.ok());
    CHECK(error_type_of(s.error()) == ErrorType::InvalidRequest);
    CHECK(s.error().message == "Invalid field: rootfs, Invalid field: instances");
    CHECK(h.desired.records().size() == 1);
  }
}

TEST_CASE("scaling an LRP creates or stops instances") {
  Harness h;
  REQUIRE(h.run(h.lrps.desire(web_app(2))).ok());
  h.event_types();
  SECTION("up: new indices are created and auctioned") {
    DesiredLrpUpdate up;
    up.instances = 4;
    REQUIRE(h.run(h.lrps.update("app-1-v1", up)).ok());
    CHECK(h.actual.rows().size() == 4);
    CHECK(h.auctioneer.lrps.size() == 4);
    CHECK(h.auctioneer.lrps[3].index == 3);
    CHECK(h.event_types() == std::vector<std::string>{"desired_lrp_changed", "actual_lrp_created",
                                                      "actual_lrp_created"});
  }
  SECTION("down: unplaced instances go, running ones are stopped by their rep") {
    REQUIRE(h.run(h.lrps.claim("app-1-v1", 1, {"ig-1", "cell-1"})).ok());
    REQUIRE(h.run(h.lrps.start({{"app-1-v1", 1, "cf-apps"},
                                {"ig-1", "cell-1"},
                                {"10.0.0.1", {{8080, 61000}}, ""},
                                true,
                                "z1"}))
                .ok());
    DesiredLrpUpdate down;
    down.instances = 0;
    REQUIRE(h.run(h.lrps.update("app-1-v1", down)).ok());
    auto rows = h.actual.rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].key.index == 1);
    REQUIRE(h.reps.stopped.size() == 1);
    CHECK(h.reps.stopped[0].instance_key.cell_id == "cell-1");
  }
  SECTION("a negative count is refused") {
    DesiredLrpUpdate bad;
    bad.instances = -3;
    auto s = h.run(h.lrps.update("app-1-v1", bad));
    REQUIRE_FALSE(s.ok());
    CHECK(error_type_of(s.error()) == ErrorType::InvalidRequest);
    CHECK(h.desired.records()[0].instances == 2);
  }
  SECTION("removing stops everything") {
    REQUIRE(h.run(h.lrps.remove("app-1-v1")).ok());
    CHECK(h.desired.records().empty());
    CHECK(h.actual.rows().empty());
    auto types = h.event_types();
    CHECK(types.front() == "desired_lrp_removed");
    CHECK(types.size() == 3);
    CHECK(error_type_of(h.run(h.lrps.remove("app-1-v1")).error()) == ErrorType::ResourceNotFound);
  }
}

TEST_CASE("crashes restart at once twice, then wait in CRASHED") {
  Harness h;
  REQUIRE(h.run(h.lrps.desire(web_app(1))).ok());
  const ActualLrpKey key{"app-1-v1", 0, "cf-apps"};
  auto run_and_crash = [&](const std::string& instance) {
    REQUIRE(h.run(h.lrps.claim("app-1-v1", 0, {instance, "cell-1"})).ok());
    REQUIRE(h.run(h.lrps.start(
                      {key, {instance, "cell-1"}, {"10.0.0.1", {{8080, 61000}}, ""}, true, "z1"}))
                .ok());
    h.clock.advance(10s);
    return h.run(h.lrps.crash(key, {instance, "cell-1"}, "exited with status 1"));
  };
  h.auctioneer.lrps.clear();
  h.event_types();

  REQUIRE(run_and_crash("ig-1").ok());
  auto row = h.actual.rows().at(0);
  CHECK(row.state == ActualLrpState::Unclaimed);
  CHECK(row.crash_count == 1);
  CHECK(row.crash_reason == "exited with status 1");
  CHECK(h.auctioneer.lrps.size() == 1);
  auto types = h.event_types();
  CHECK(std::find(types.begin(), types.end(), "actual_lrp_crashed") != types.end());

  REQUIRE(run_and_crash("ig-2").ok());
  CHECK(h.actual.rows().at(0).state == ActualLrpState::Unclaimed);
  CHECK(h.auctioneer.lrps.size() == 2);

  REQUIRE(run_and_crash("ig-3").ok());
  row = h.actual.rows().at(0);
  CHECK(row.state == ActualLrpState::Crashed);
  CHECK(row.crash_count == 3);
  CHECK(h.auctioneer.lrps.size() == 2);  // convergence restarts it after 30 s

  SECTION("a crash from a cell that does not hold the instance is refused") {
    auto s = h.run(h.lrps.crash(key, {"ig-9", "cell-9"}, "x"));
    CHECK(error_type_of(s.error()) == ErrorType::ActualLRPCannotBeCrashed);
  }
}

TEST_CASE("placement failures and retirement") {
  Harness h;
  REQUIRE(h.run(h.lrps.desire(web_app(1))).ok());
  const ActualLrpKey key{"app-1-v1", 0, "cf-apps"};
  REQUIRE(h.run(h.lrps.fail(key, "insufficient resources: memory")).ok());
  CHECK(h.actual.rows().at(0).placement_error == "insufficient resources: memory");
  CHECK(h.run(h.lrps.fail({"gone", 0, "cf-apps"}, "x")).ok());  // nothing left to fail

  SECTION("retiring an instance on a live cell asks its rep to stop it") {
    REQUIRE(h.run(h.lrps.claim("app-1-v1", 0, {"ig-1", "cell-1"})).ok());
    CellPresence cell;
    cell.cell_id = "cell-1";
    cell.rep_address = "nats";
    cell.capacity = {1024, 1024, 10};
    REQUIRE(h.run(h.cells.heartbeat(cell, 15'000'000'000, h.now())).ok());
    REQUIRE(h.run(h.lrps.retire(key)).ok());
    CHECK(h.reps.stopped.size() == 1);
    CHECK(h.actual.rows().size() == 1);
  }
  SECTION("retiring an instance whose cell is gone deletes it") {
    REQUIRE(h.run(h.lrps.claim("app-1-v1", 0, {"ig-1", "cell-1"})).ok());
    REQUIRE(h.run(h.lrps.retire(key)).ok());
    CHECK(h.reps.stopped.empty());
    CHECK(h.actual.rows().empty());
  }
}
