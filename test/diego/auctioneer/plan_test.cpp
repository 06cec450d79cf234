#include "diego/auctioneer/src/plan.h"

#include <catch2/catch.hpp>

#include "test/diego/auctioneer/fakes.h"

using namespace cupola;
using namespace cupola::auctioneer;
using cupola::auctioneer::test::lrp;
using cupola::auctioneer::test::task;

namespace {

auction::CellState cell(const std::string& id, std::int64_t memory_mb, std::int64_t containers) {
  auction::CellState c;
  c.cell_id = id;
  c.zone = "z1";
  c.total = {memory_mb, 100'000, containers};
  c.available = c.total;
  c.stacks = {"cupolafs"};
  return c;
}

}  // namespace

TEST_CASE("planning one auction round") {
  Work pending{{lrp("a", 0), lrp("a", 1), lrp("big", 0, 10'000)}, {task("t1")}};

  SECTION("when cells have room, each gets the work it won and nothing fails") {
    auto plan = plan_round({{lrp("a", 0), lrp("a", 1)}, {task("t1")}},
                           {cell("c1", 1024, 10), cell("c2", 1024, 10)}, {}, {});
    std::size_t placed = 0;
    for (const auto& [id, w] : plan.by_cell) placed += w.size();
    CHECK(placed == 3);
    CHECK(plan.failed_lrps.empty());
    CHECK(plan.failed_tasks.empty());
    // Instances of one process spread over the cells.
    CHECK(plan.by_cell.at("c1").lrps.size() == 1);
    CHECK(plan.by_cell.at("c2").lrps.size() == 1);
  }
  SECTION("when work fits no cell, it fails with the scheduler's reason") {
    auto plan = plan_round(pending, {cell("c1", 1024, 10)}, {}, {});
    REQUIRE(plan.failed_lrps.size() == 1);
    CHECK(plan.failed_lrps[0].lrp.process_guid == "big");
    CHECK(plan.failed_lrps[0].reason == "insufficient resources: memory");
  }
  SECTION("when a cell refused work, that work is not offered to it again") {
    Refusals refusals;
    refusals.add("c1", {{lrp("a", 0), lrp("a", 1), lrp("big", 0, 10'000)}, {task("t1")}});
    auto plan =
        plan_round(pending, {cell("c1", 100'000, 10), cell("c2", 100'000, 10)}, refusals, {});
    CHECK(!plan.by_cell.contains("c1"));
    CHECK(plan.by_cell.at("c2").size() == 4);
  }
  SECTION("when refusals differ per item, each item avoids only the cells that refused it") {
    Refusals refusals;
    refusals.add("c1", {{lrp("a", 0)}, {}});
    refusals.add("c2", {{lrp("a", 1)}, {}});
    auto plan = plan_round({{lrp("a", 0), lrp("a", 1)}, {}},
                           {cell("c1", 1024, 10), cell("c2", 1024, 10)}, refusals, {});
    REQUIRE(plan.by_cell.at("c1").lrps.size() == 1);
    CHECK(plan.by_cell.at("c1").lrps[0].index == 1);
    REQUIRE(plan.by_cell.at("c2").lrps.size() == 1);
    CHECK(plan.by_cell.at("c2").lrps[0].index == 0);
  }
  SECTION("when groups are auctioned in turn, later groups see what earlier ones took") {
    Refusals refusals;
    refusals.add("c2", {{lrp("a", 2)}, {}});
    auto plan = plan_round({{lrp("a", 0), lrp("a", 1), lrp("a", 2)}, {}},
                           {cell("c1", 1024, 1), cell("c2", 1024, 2)}, refusals, {});
    std::size_t placed = 0;
    for (const auto& [id, w] : plan.by_cell) placed += w.size();
    CHECK(placed == 2);
    REQUIRE(plan.failed_lrps.size() == 1);
    CHECK(plan.failed_lrps[0].reason == "insufficient resources: containers");
  }
  SECTION("when there are no cells, everything fails for want of cells") {
    auto plan = plan_round(pending, {}, {}, {});
    CHECK(plan.failed_lrps.size() == 3);
    REQUIRE(plan.failed_tasks.size() == 1);
    CHECK(plan.failed_tasks[0].reason == "unable to communicate to compatible cells");
  }
  SECTION("when capacity runs out within the batch, the batch does not over-commit") {
    auto plan =
        plan_round({{lrp("a", 0), lrp("a", 1), lrp("a", 2)}, {}}, {cell("c1", 1024, 2)}, {}, {});
    CHECK(plan.by_cell.at("c1").lrps.size() == 2);
    REQUIRE(plan.failed_lrps.size() == 1);
    CHECK(plan.failed_lrps[0].reason == "insufficient resources: containers");
  }
  SECTION("when giving up, every refused item fails as refused") {
    auto plan = give_up(pending);
    CHECK(plan.failed_lrps.size() == 3);
    CHECK(plan.failed_tasks.size() == 1);
    CHECK(plan.failed_lrps[0].reason == kRefusedByCells);
  }
}

TEST_CASE("the scheduler's request for pending work") {
  auto r = to_auction_request({{lrp("a", 4)}, {task("t1", 300)}});
  REQUIRE(r.lrps.size() == 1);
  CHECK(r.lrps[0].indices == std::vector<std::int32_t>{4});
  CHECK(r.lrps[0].demand.memory_mb == 128);
  CHECK(r.lrps[0].constraint.root_fs == "preloaded:cupolafs");
  REQUIRE(r.tasks.size() == 1);
  CHECK(r.tasks[0].demand.memory_mb == 300);
}
