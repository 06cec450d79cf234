#include "diego/auctioneer/src/auction_runner.h"

#include <catch2/catch.hpp>

#include "common/core/clock.h"
#include "test/diego/auctioneer/fakes.h"

using namespace cupola;
using namespace cupola::auctioneer;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using cupola::auctioneer::test::FakeBbsClient;
using cupola::auctioneer::test::FakeReps;
using cupola::auctioneer::test::lrp;
using cupola::auctioneer::test::task;

namespace {

struct Harness {
  asio::io_context io;
  FakeClock clock;
  std::shared_ptr<log::MemorySink> sink = std::make_shared<log::MemorySink>();
  FakeBbsClient bbs;
  FakeReps reps{io.get_executor()};
  AuctionRunner runner{io.get_executor(), bbs, reps,
                       AuctionRunnerOptions{.rep_timeout = 20ms, .max_tries = 3, .weights = {}},
                       log::Logger(sink, clock, "auctioneer")};

  void cell(const std::string& id, std::int64_t memory_mb, std::int64_t containers) {
    reps.add(id, memory_mb, containers);
    bbs.add_cell(id);
  }
  AuctionReport run(Work w) { return test::run(io, runner.run(std::move(w))); }
};

Work instances(const std::string& guid, int n, int memory_mb = 128) {
  Work w;
  for (int i = 0; i < n; ++i) w.lrps.push_back(lrp(guid, i, memory_mb));
  return w;
}

std::size_t lrps_on(FakeReps& reps, const std::string& id) { return reps.at(id).state.lrps.size(); }

}  // namespace

TEST_CASE("running an auction") {
  Harness h;

  SECTION("when cells have room, every instance lands and no cell exceeds its capacity") {
    h.cell("c1", 128 * 40, 40);
    h.cell("c2", 128 * 40, 40);
    h.cell("c3", 128 * 30, 30);
    auto report = h.run(instances("app", 100));
    CHECK(report.failed_lrps.empty());
    CHECK(lrps_on(h.reps, "c1") + lrps_on(h.reps, "c2") + lrps_on(h.reps, "c3") == 100);
    for (const auto* id : {"c1", "c2", "c3"}) {
      CHECK(h.reps.at(id).state.available.memory_mb >= 0);
      CHECK(h.reps.at(id).state.available.containers >= 0);
    }
    CHECK(h.bbs.failed_lrps.empty());
  }
  SECTION("when a listed cell never answers, it is skipped and the others take the work") {
    h.cell("c1", 4096, 10);
    h.cell("silent", 4096, 10);
    h.reps.at("silent").silent = true;
    auto report = h.run(instances("app", 4));
    CHECK(report.skipped_cells == std::vector<std::string>{"silent"});
    CHECK(lrps_on(h.reps, "c1") == 4);
    CHECK(report.failed_lrps.empty());
  }
  SECTION("when a cell refuses an item, it is placed on another cell") {
    h.cell("c1", 4096, 10);
    h.cell("c2", 4096, 10);
    h.reps.at("c1").refuse = {"app/0"};
    h.reps.at("c2").refuse = {"app/1"};
    auto report = h.run(instances("app", 2));
    CHECK(report.failed_lrps.empty());
    REQUIRE(lrps_on(h.reps, "c1") == 1);
    REQUIRE(lrps_on(h.reps, "c2") == 1);
    CHECK(h.reps.at("c1").state.lrps[0].index == 1);
    CHECK(h.reps.at("c2").state.lrps[0].index == 0);
  }
  SECTION("when every cell refuses an item, it fails as refused once the tries are used up") {
    h.cell("c1", 4096, 10);
    h.cell("c2", 4096, 10);
    h.cell("c3", 4096, 10);
    h.cell("c4", 4096, 10);
    for (const auto* id : {"c1", "c2", "c3", "c4"}) h.reps.at(id).refuse = {"app/0"};
    auto report = h.run(instances("app", 1));
    std::size_t offers = 0;
    for (const auto* id : {"c1", "c2", "c3", "c4"}) offers += h.reps.at(id).performed.size();
    CHECK(offers == 3);
    REQUIRE(h.bbs.failed_lrps.size() == 1);
    CHECK(h.bbs.failed_lrps[0].key == bbs::ActualLrpKey{"app", 0, "cf-apps"});
    CHECK(h.bbs.failed_lrps[0].message == kRefusedByCells);
  }
  SECTION("when an LRP is too big for every cell, the BBS records the placement error") {
    h.cell("c1", 1024, 10);
    h.cell("c2", 2048, 10);
    auto report = h.run(instances("big", 1, 4096));
    REQUIRE(h.bbs.failed_lrps.size() == 1);
    CHECK(h.bbs.failed_lrps[0].key.process_guid == "big");
    CHECK(h.bbs.failed_lrps[0].message == "insufficient resources: memory");
    CHECK(h.reps.at("c1").performed.empty());
  }
  SECTION("when a task cannot be placed, the BBS fails it with the reason") {
    h.cell("c1", 1024, 10);
    auto report = h.run({{}, {task("t1", 4096), task("t2", 256)}});
    REQUIRE(h.bbs.failed_tasks.size() == 1);
    CHECK(h.bbs.failed_tasks[0] ==
          std::pair<std::string, std::string>{"t1", "insufficient resources: memory"});
    REQUIRE(h.reps.at("c1").state.tasks.size() == 1);
    CHECK(h.reps.at("c1").state.tasks[0].task_guid == "t2");
  }
  SECTION("when the BBS cannot list cells, the batch is dropped without failures") {
    h.cell("c1", 1024, 10);
    h.bbs.cells_error = make_error(Errc::Unavailable, "bbs down");
    auto report = h.run(instances("app", 2));
    CHECK(report.bbs_unavailable);
    CHECK(h.bbs.failed_lrps.empty());
    CHECK(h.reps.at("c1").performed.empty());
  }
  SECTION("when there are no cells, everything fails for want of cells") {
    auto report = h.run(instances("app", 2));
    REQUIRE(h.bbs.failed_lrps.size() == 2);
    CHECK(h.bbs.failed_lrps[0].message == "unable to communicate to compatible cells");
  }
}
