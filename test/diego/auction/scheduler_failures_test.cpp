// What the auction refuses and why: constraints, exhaustion, evacuation, over-commit.
#include <catch2/catch.hpp>

#include <map>

#include "diego/auction/scheduler.h"
#include "test/diego/auction/fixtures.h"

namespace cupola::auction {
namespace {

using namespace cupola::auction::testing;

TEST_CASE("schedule places tagged work only on cells with exactly those tags",
          "[auction][scheduler][constraints]") {
  CellState gpu = cell("a");
  gpu.placement_tags = {"gpu"};
  CellState plain = cell("b");
  LrpStart tagged = lrp("ml", {0, 1});
  tagged.constraint.placement_tags = {"gpu"};

  SECTION("when a cell has the tag, all tagged instances go there and untagged ones do not") {
    const auto r = schedule({.lrps = {tagged, lrp("web", {0, 1})}}, {gpu, plain}, {});
    CHECK(winner(r, "ml", 0) == "a");
    CHECK(winner(r, "ml", 1) == "a");
    CHECK(winner(r, "web", 0) == "b");
    CHECK(winner(r, "web", 1) == "b");
  }
  SECTION("when no cell has the tag the instance fails naming it") {
    const auto r = schedule({.lrps = {tagged}}, {plain}, {});
    CHECK(failure(r, "ml", 0) == "found no compatible cell with placement tag \"gpu\"");
  }
  SECTION("when every cell requires a tag, untagged work fails") {
    const auto r = schedule({.lrps = {lrp("web", {0})}}, {gpu}, {});
    CHECK(failure(r, "web", 0) == "found no compatible cell with no placement tags");
  }
  SECTION("when a cell offers the tag as optional, tagged and untagged work may use it") {
    CellState optional = cell("c");
    optional.optional_placement_tags = {"gpu"};
    const auto r = schedule({.lrps = {tagged, lrp("web", {0})}}, {optional}, {});
    CHECK(r.lrps.size() == 3);
  }
}

TEST_CASE("schedule matches the stack and volume drivers", "[auction][scheduler][constraints]") {
  CellState old_stack = cell("a");
  old_stack.stacks = {"cflinuxfs3"};
  CellState with_nfs = cell("b");
  with_nfs.volume_drivers = {"nfsv3driver"};

  SECTION("when only one cell has the stack, every instance goes there") {
    const auto r = schedule({.lrps = {lrp("web", {0, 1, 2})}}, {old_stack, cell("b")}, {});
    CHECK(per_cell(r) == std::map<std::string, int>{{"b", 3}});
  }
  SECTION("when no cell has the stack, the rootfs is the reason") {
    const auto r = schedule({.lrps = {lrp("web", {0})}, .tasks = {task("t1")}}, {old_stack}, {});
    CHECK(failure(r, "web", 0) == "found no compatible cell for required rootfs");
    REQUIRE(r.failed_tasks.size() == 1);
    CHECK(r.failed_tasks[0].reason == "found no compatible cell for required rootfs");
  }
  SECTION("when cells with the stack lack a driver, the drivers are the reason") {
    LrpStart needs = lrp("web", {0});
    needs.constraint.volume_drivers = {"smbdriver"};
    const auto r = schedule({.lrps = {needs}}, {old_stack, with_nfs}, {});
    CHECK(failure(r, "web", 0) == "found no compatible cell with required volume drivers");
  }
  SECTION("when a cell has the driver but not the tags, the tags are the reason") {
    LrpStart needs = lrp("web", {0});
    needs.constraint.volume_drivers = {"nfsv3driver"};
    needs.constraint.placement_tags = {"a", "b"};
    const auto r = schedule({.lrps = {needs}}, {old_stack, cell("c"), with_nfs}, {});
    CHECK(failure(r, "web", 0) == "found no compatible cell with placement tags \"a\" and \"b\"");
  }
  SECTION("when a docker image is asked for, only cells accepting the scheme take it") {
    LrpStart image = lrp("web", {0});
    image.constraint.root_fs = "docker:///cloudfoundry/grace";
    CellState docker = cell("c");
    docker.image_schemes = {"docker"};
    const auto r = schedule({.lrps = {image}}, {cell("a"), docker}, {});
    CHECK(winner(r, "web", 0) == "c");
  }
}

TEST_CASE("schedule never over-commits a cell within one batch", "[auction][scheduler]") {
  SECTION("when the batch asks for more memory than the cell has, the excess fails") {
    const auto r = schedule({.lrps = {lrp("web", {0, 1, 2, 3, 4}, 300)}}, {cell("a")}, {});
    CHECK(r.lrps.size() == 3);  // 3 x 300 MB of 1024
    REQUIRE(r.failed_lrps.size() == 2);
    CHECK(r.failed_lrps[0].reason == "insufficient resources: memory");
    CHECK(r.failed_lrps[1].reason == "insufficient resources: memory");
  }
  SECTION("when LRPs and tasks share the cell, the total stays within every resource") {
    const Resources total{.memory_mb = 1000, .disk_mb = 1000, .containers = 7};
    AuctionRequest request;
    for (int i = 0; i < 6; ++i) {
      request.lrps.push_back(lrp("app-" + std::to_string(i), {0, 1}, 90, 40));
      request.tasks.push_back(task("task-" + std::to_string(i), 70, 110));
    }
    const std::vector<CellState> cells = {cell("a", "z1", total), cell("b", "z2", total)};
    const auto r = schedule(request, cells, {});
    std::map<std::string, Resources> used;
    for (const auto& p : r.lrps)
      used[p.cell_id] = {used[p.cell_id].memory_mb + 90, used[p.cell_id].disk_mb + 40,
                         used[p.cell_id].containers + 1};
    for (const auto& p : r.tasks)
      used[p.cell_id] = {used[p.cell_id].memory_mb + 70, used[p.cell_id].disk_mb + 110,
                         used[p.cell_id].containers + 1};
    for (const auto& [id, u] : used) {
      INFO(id);
      CHECK(u.memory_mb <= total.memory_mb);
      CHECK(u.disk_mb <= total.disk_mb);
      CHECK(u.containers <= total.containers);
    }
    CHECK(r.lrps.size() + r.tasks.size() == 14);  // 7 containers per cell
    CHECK(r.failed_lrps.size() + r.failed_tasks.size() == 4);
  }
}

TEST_CASE("schedule names the resource every cell lacks", "[auction][scheduler]") {
  CellState low_memory = cell("a", "z1", {.memory_mb = 100, .disk_mb = 4096, .containers = 10});
  CellState low_disk = cell("b", "z1", {.memory_mb = 4096, .disk_mb = 100, .containers = 10});
  CellState no_room = cell("c", "z2", {.memory_mb = 100, .disk_mb = 100, .containers = 0});

  SECTION("when all cells lack memory") {
    const auto r = schedule({.lrps = {lrp("web", {0}, 200, 50)}}, {low_memory, no_room}, {});
    CHECK(failure(r, "web", 0) == "insufficient resources: memory");
  }
  SECTION("when cells lack different sets of resources, the shared one is named") {
    const auto r = schedule({.tasks = {task("t1", 200, 200)}}, {low_memory, no_room}, {});
    REQUIRE(r.failed_tasks.size() == 1);
    CHECK(r.failed_tasks[0].reason == "insufficient resources: memory");
    const auto both = schedule({.tasks = {task("t1", 200, 200)}}, {no_room}, {});
    CHECK(both.failed_tasks[0].reason == "insufficient resources: containers, disk, memory");
  }
  SECTION("when cells lack different resources no single one is named") {
    const auto r = schedule({.lrps = {lrp("web", {0}, 200, 200)}}, {low_memory, low_disk}, {});
    CHECK(failure(r, "web", 0) == "insufficient resources");
  }
  SECTION("when an incompatible cell has room, it is not counted") {
    CellState roomy = cell("d");
    roomy.stacks = {"cflinuxfs3"};
    const auto r = schedule({.lrps = {lrp("web", {0}, 200, 50)}}, {low_memory, roomy}, {});
    CHECK(failure(r, "web", 0) == "insufficient resources: memory");
  }
}

TEST_CASE("schedule gives evacuating cells no work", "[auction][scheduler]") {
  CellState leaving = cell("a");
  leaving.evacuating = true;

  SECTION("when another cell is live it takes everything") {
    const auto r =
        schedule({.lrps = {lrp("web", {0, 1})}, .tasks = {task("t1")}}, {leaving, cell("b")}, {});
    CHECK(per_cell(r) == std::map<std::string, int>{{"b", 3}});
  }
  SECTION("when every cell is evacuating, nothing can be placed") {
    const auto r = schedule({.lrps = {lrp("web", {0})}, .tasks = {task("t1")}}, {leaving}, {});
    CHECK(failure(r, "web", 0) == "unable to communicate to compatible cells");
    REQUIRE(r.failed_tasks.size() == 1);
    CHECK(r.failed_tasks[0].reason == "unable to communicate to compatible cells");
  }
  SECTION("when there are no cells at all, nothing can be placed") {
    const auto r = schedule({.lrps = {lrp("web", {0, 1})}}, {}, {});
    CHECK(r.failed_lrps.size() == 2);
    CHECK(r.lrps.empty());
  }
}

}  // namespace
}  // namespace cupola::auction
