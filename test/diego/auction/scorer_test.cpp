// Diego's scores: resource fractions, starting containers, same-process and task penalties.
#include <catch2/catch.hpp>

#include "diego/auction/scorer.h"
#include "test/diego/auction/fixtures.h"

namespace cupola::auction {
namespace {

using testing::cell;

CellState sized(Resources total, Resources available) {
  CellState c = cell("a", "z1", total);
  c.available = available;
  return c;
}

TEST_CASE("resource_score is the mean fraction used after placing the work", "[auction][scorer]") {
  const Resources total{.memory_mb = 100, .disk_mb = 100, .containers = 100};
  const Demand demand{.memory_mb = 10, .disk_mb = 20};

  SECTION("when the cell is partly used") {
    const CellLoad load = make_cell_load(sized(total, {50, 80, 10}), 0);
    // memory 1 - 40/100, disk 1 - 60/100, containers 1 - 9/100
    CHECK(resource_score(load, demand, 0.0) == Approx((0.6 + 0.4 + 0.91) / 3.0));
  }
  SECTION("when the cell is empty it scores near zero and below a busier cell") {
    const CellLoad empty = make_cell_load(sized(total, total), 0);
    const CellLoad busy = make_cell_load(sized(total, {60, 60, 60}), 0);
    CHECK(resource_score(empty, demand, 0.0) == Approx((0.1 + 0.2 + 0.01) / 3.0));
    CHECK(resource_score(empty, demand, 0.0) < resource_score(busy, demand, 0.0));
  }
  SECTION("when the cell is starting containers, each adds the starting weight") {
    CellState c = sized(total, total);
    c.starting_containers = 4;
    const CellLoad load = make_cell_load(c, 0);
    CHECK(resource_score(load, demand, 0.25) - resource_score(load, demand, 0.0) == Approx(1.0));
  }
  SECTION("when a total is zero that resource counts as fully used") {
    const CellLoad load = make_cell_load(sized({100, 0, 100}, {100, 0, 100}), 0);
    CHECK(resource_score(load, {.memory_mb = 10}, 0.0) == Approx((0.1 + 1.0 + 0.01) / 3.0));
  }
  SECTION("when cells differ in size, fractions (not megabytes) decide") {
    const CellLoad big = make_cell_load(sized({1000, 1000, 100}, {500, 500, 50}), 0);
    const CellLoad small = make_cell_load(sized({100, 100, 100}, {60, 60, 60}), 0);
    CHECK(resource_score(small, demand, 0.0) < resource_score(big, demand, 0.0));
  }
}

TEST_CASE("resource_problems lists what the cell lacks", "[auction][scorer]") {
  const Resources available{.memory_mb = 100, .disk_mb = 100, .containers = 1};
  CHECK(resource_problems(available, {.memory_mb = 100, .disk_mb = 100}) == kNoProblem);
  CHECK(resource_problems(available, {.memory_mb = 101, .disk_mb = 100}) == kMemory);
  CHECK(resource_problems(available, {.memory_mb = 100, .disk_mb = 101}) == kDisk);
  CHECK(resource_problems({100, 100, 0}, {.memory_mb = 1}) == kContainers);
  CHECK(resource_problems({-5, 100, 0}, {.memory_mb = 0}) == (kMemory | kContainers));
}

TEST_CASE("lrp_score penalises instances of the same process", "[auction][scorer]") {
  const CellLoad load = make_cell_load(cell("a"), 3);
  const Demand demand{.memory_mb = 64, .disk_mb = 64};
  const Weights weights{.starting_container = 0.25};
  const double base = resource_score(load, demand, 0.25);

  SECTION("when the cell holds none of the process the score is the resource score") {
    CHECK(lrp_score(load, demand, 0, weights) == Approx(base));
  }
  SECTION("when it holds instances, each adds the locality offset") {
    CHECK(lrp_score(load, demand, 2, weights) == Approx(base + 2 * kLocalityOffset));
  }
  SECTION("when bin-packing is weighted, the cell's position in its zone adds to the score") {
    const Weights packing{.starting_container = 0.25, .bin_pack_first_fit = 0.5};
    CHECK(lrp_score(load, demand, 0, packing) == Approx(base + 3 * 0.5));
  }
}

TEST_CASE("task_score penalises every task on the cell", "[auction][scorer]") {
  CellState c = cell("a");
  c.tasks = {"t1", "t2"};
  const CellLoad load = make_cell_load(c, 5);
  const Demand demand{.memory_mb = 64};
  const Weights weights{.bin_pack_first_fit = 7.0};  // tasks ignore bin-packing
  CHECK(task_score(load, demand, weights) ==
        Approx(resource_score(load, demand, weights.starting_container) + 2 * kLocalityOffset));
}

TEST_CASE("reserve_lrp and reserve_task book the work on the cell", "[auction][scorer]") {
  CellLoad load = make_cell_load(cell("a"), 0);
  const Demand demand{.memory_mb = 100, .disk_mb = 200};
  const double before = resource_score(load, demand, 0.25);

  SECTION("when an LRP is reserved") {
    reserve_lrp(load, demand);
    CHECK(load.available == Resources{.memory_mb = 924, .disk_mb = 3896, .containers = 99});
    CHECK(load.starting_containers == 1);
    CHECK(load.tasks == 0);
    CHECK(resource_score(load, demand, 0.25) > before);
  }
  SECTION("when a task is reserved it also counts as a task") {
    reserve_task(load, demand);
    CHECK(load.available == Resources{.memory_mb = 924, .disk_mb = 3896, .containers = 99});
    CHECK(load.starting_containers == 1);
    CHECK(load.tasks == 1);
  }
}

}  // namespace
}  // namespace cupola::auction
