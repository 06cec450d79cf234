// Where the auction puts work: spreading, zones, anti-affinity, order and tie-breaking.
#include <catch2/catch.hpp>

#include <algorithm>

#include "diego/auction/scheduler.h"
#include "test/diego/auction/fixtures.h"

namespace cupola::auction {
namespace {

using namespace cupola::auction::testing;

TEST_CASE("schedule spreads work across cells", "[auction][scheduler]") {
  AuctionRequest request;
  for (int i = 0; i < 9; ++i) request.lrps.push_back(lrp("app-" + std::to_string(i), {0}));

  SECTION("when the cells are empty each gets the same share") {
    const auto r = schedule(request, {cell("a"), cell("b"), cell("c")}, {});
    CHECK(r.failed_lrps.empty());
    CHECK(per_cell(r) == std::map<std::string, int>{{"a", 3}, {"b", 3}, {"c", 3}});
  }
  SECTION("when one cell is busier the others fill up to it first") {
    CellState busy = cell("a");
    run(busy, "other", 3, 64);
    // Without the starting-container weight only the resource fractions count.
    const auto r = schedule(request, {busy, cell("b"), cell("c")}, {.starting_container = 0.0});
    CHECK(per_cell(r) == std::map<std::string, int>{{"a", 1}, {"b", 4}, {"c", 4}});
  }
}

TEST_CASE("schedule steers work away from cells busy starting containers", "[auction][scheduler]") {
  CellState starting = cell("a");
  starting.starting_containers = 2;
  AuctionRequest request;
  for (int i = 0; i < 4; ++i) request.lrps.push_back(lrp("app-" + std::to_string(i), {0}));

  SECTION("when starting containers are weighted, the idle cell catches up first") {
    const auto r = schedule(request, {starting, cell("b")}, {});
    CHECK(per_cell(r) == std::map<std::string, int>{{"a", 1}, {"b", 3}});
  }
  SECTION("when they are not weighted, only resources count") {
    const auto r = schedule(request, {starting, cell("b")}, {.starting_container = 0.0});
    CHECK(per_cell(r) == std::map<std::string, int>{{"a", 2}, {"b", 2}});
  }
}

TEST_CASE("schedule keeps instances of a process apart", "[auction][scheduler]") {
  SECTION("when a roomier cell already runs the process, another cell gets the instance") {
    CellState roomy = cell("a", "z1", {.memory_mb = 8192, .disk_mb = 8192, .containers = 100});
    run(roomy, "web", 1, 64);
    CellState tight = cell("b");
    run(tight, "other", 10, 64);
    const auto r = schedule({.lrps = {lrp("web", {1})}}, {roomy, tight}, {});
    CHECK(winner(r, "web", 1) == "b");
  }
  SECTION("when instances outnumber cells they stack evenly") {
    const auto r = schedule({.lrps = {lrp("web", {0, 1, 2, 3, 4, 5})}}, {cell("a"), cell("b")}, {});
    CHECK(per_cell(r) == std::map<std::string, int>{{"a", 3}, {"b", 3}});
  }
}

TEST_CASE("schedule spreads a process across zones first", "[auction][scheduler]") {
  SECTION("when one zone is heavily loaded it still gets half the instances") {
    CellState lone = cell("b", "z2");
    run(lone, "other", 50, 1);
    const auto r = schedule({.lrps = {lrp("red", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1)}},
                            {cell("a", "z1"), lone, cell("c", "z1")}, {});
    const auto placed = per_cell(r);
    CHECK(placed.at("a") + placed.at("c") == 5);
    CHECK(placed.at("b") == 5);
  }
  SECTION("when zones hold equally many instances, the best cell of any of them wins") {
    CellState busy = cell("a", "z1");
    run(busy, "other", 10, 64);
    const auto r = schedule({.lrps = {lrp("web", {0})}}, {busy, cell("b", "z2")}, {});
    CHECK(winner(r, "web", 0) == "b");
  }
  SECTION("when a zone already holds more instances the other zone wins even if busier") {
    CellState empty = cell("a", "z1");
    run(empty, "web", 1);
    CellState busy = cell("b", "z2");
    run(busy, "other", 60, 10);
    const auto r = schedule({.lrps = {lrp("web", {1})}}, {empty, busy, cell("c", "z1")}, {});
    CHECK(winner(r, "web", 1) == "b");
  }
  SECTION("when the emptier zone has no room the next zone takes the instance") {
    CellState held = cell("a", "z1");
    run(held, "web", 1);
    CellState full = cell("b", "z2", {.memory_mb = 100, .disk_mb = 4096, .containers = 100});
    const auto r = schedule({.lrps = {lrp("web", {1}, 200)}}, {held, full}, {});
    CHECK(winner(r, "web", 1) == "a");
  }
}

TEST_CASE("schedule places larger work and first instances first", "[auction][scheduler]") {
  SECTION("when memory is short, boulders go in before pebbles") {
    const CellState one = cell("a", "z1", {.memory_mb = 100, .disk_mb = 4096, .containers = 200});
    AuctionRequest request;
    for (int i = 0; i < 80; ++i) request.lrps.push_back(lrp("pebble-" + std::to_string(i), {0}, 1));
    request.lrps.push_back(lrp("red", {0, 1}, 50));
    const auto r = schedule(request, {one}, {});
    CHECK(r.lrps.size() == 51);
    CHECK(r.failed_lrps.size() == 31);
    CHECK(winner(r, "red", 0) == "a");
    CHECK(failure(r, "red", 1) == "insufficient resources: memory");
    CHECK(r.lrps.front().process_guid == "red");
  }
  SECTION("when containers are short, index 0 and tasks come before later indices") {
    const CellState two = cell("a", "z1", {.memory_mb = 1024, .disk_mb = 4096, .containers = 2});
    const auto r = schedule({.lrps = {lrp("web", {1, 0})}, .tasks = {task("t1")}}, {two}, {});
    CHECK(winner(r, "web", 0) == "a");
    REQUIRE(r.tasks.size() == 1);
    CHECK(failure(r, "web", 1) == "insufficient resources: containers");
  }
  SECTION("when sizes tie, request order decides") {
    const auto r =
        schedule({.lrps = {lrp("x", {0}), lrp("y", {0}), lrp("z", {0})}}, {cell("a")}, {});
    REQUIRE(r.lrps.size() == 3);
    CHECK(r.lrps[0].process_guid == "x");
    CHECK(r.lrps[1].process_guid == "y");
    CHECK(r.lrps[2].process_guid == "z");
    CHECK(r.lrps[2].lrp == 2);
  }
}

TEST_CASE("schedule breaks ties by zone name, then cell id", "[auction][scheduler]") {
  SECTION("when identical cells tie, the smaller cell id wins whatever the input order") {
    const auto r = schedule({.lrps = {lrp("web", {0})}}, {cell("c"), cell("b"), cell("d")}, {});
    CHECK(winner(r, "web", 0) == "b");
  }
  SECTION("when identical zones tie, the first zone by name wins") {
    const auto r = schedule({.lrps = {lrp("web", {0})}}, {cell("a", "z2"), cell("b", "z1")}, {});
    CHECK(winner(r, "web", 0) == "b");
  }
  SECTION("when the input order of cells changes, the results do not") {
    AuctionRequest request{.lrps = {lrp("web", {0, 1, 2, 3}), lrp("api", {0, 1}, 128)},
                           .tasks = {task("t1"), task("t2")}};
    std::vector<CellState> cells = {cell("a", "z1"), cell("b", "z2"), cell("c", "z1"),
                                    cell("d", "z2")};
    const auto first = schedule(request, cells, {});
    std::reverse(cells.begin(), cells.end());
    const auto second = schedule(request, cells, {});
    CHECK(first.lrps == second.lrps);
    CHECK(first.tasks == second.tasks);
  }
}

TEST_CASE("schedule spreads tasks by the tasks each cell runs", "[auction][scheduler]") {
  CellState a = cell("a", "z1");
  a.tasks = {"old-1", "old-2"};
  CellState b = cell("b", "z2");
  run(b, "web", 20, 10);  // busier, but runs no task
  const auto r = schedule({.tasks = {task("t1"), task("t2"), task("t3")}}, {a, b}, {});
  REQUIRE(r.tasks.size() == 3);
  CHECK(per_cell(r) == std::map<std::string, int>{{"a", 1}, {"b", 2}});
}

TEST_CASE("schedule packs onto low positions when bin-packing is weighted",
          "[auction][scheduler]") {
  AuctionRequest request;
  for (int i = 0; i < 6; ++i) request.lrps.push_back(lrp("app-" + std::to_string(i), {0}));
  const auto r = schedule(request, {cell("a"), cell("b"), cell("c")},
                          {.starting_container = 0.0, .bin_pack_first_fit = 10.0});
  CHECK(per_cell(r) == std::map<std::string, int>{{"a", 6}});
}

TEST_CASE("schedule counts containers it starts against the in-flight limit",
          "[auction][scheduler]") {
  CellState a = cell("a");
  a.starting_containers = 2;
  const auto r = schedule({.lrps = {lrp("web", {0, 1, 2})}, .tasks = {task("t1")}}, {a, cell("b")},
                          {.max_inflight_starts = 4});
  CHECK(r.lrps.size() + r.tasks.size() == 2);
  CHECK(failure(r, "web", 1) == "waiting to start instance: reached in-flight start limit");
  CHECK(failure(r, "web", 2) == "waiting to start instance: reached in-flight start limit");
}

TEST_CASE("schedule drops duplicate auctions", "[auction][scheduler]") {
  const auto r = schedule(
      {.lrps = {lrp("web", {0, 0}), lrp("web", {0, 1})}, .tasks = {task("t1"), task("t1")}},
      {cell("a"), cell("b")}, {});
  CHECK(r.lrps.size() == 2);
  CHECK(r.tasks.size() == 1);
  CHECK(r.failed_lrps.empty());
  CHECK(r.failed_tasks.empty());
}

}  // namespace
}  // namespace cupola::auction
