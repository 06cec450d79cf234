#include "diego/auctioneer/api/wire.h"

#include <catch2/catch.hpp>

#include "bbs/src/controllers/http_auctioneer_client.h"

using namespace cupola;
using namespace cupola::auctioneer;

TEST_CASE("cell state JSON") {
  CellStateReport s;
  s.cell_id = "cell-1";
  s.zone = "z1";
  s.total = {4096, 20000, 100};
  s.available = {3968, 19936, 99};
  s.lrps = {{"app-1", 0, 128, 64}};
  s.tasks = {{"task-1", 256, 32}};
  s.placement_tags = {"gpu"};
  s.optional_placement_tags = {"ssd"};
  s.stacks = {"cupolafs"};
  s.starting_containers = 1;

  SECTION("when written and read back, it is the same") {
    auto back = cell_state_from_json(to_json(s));
    REQUIRE(back);
    CHECK(*back == s);
  }
  SECTION("when converted for the scheduler, the instances keep their keys") {
    auto c = to_cell_state(s);
    CHECK(c.cell_id == "cell-1");
    CHECK(c.available == auction::Resources{3968, 19936, 99});
    CHECK(c.lrps == std::vector<auction::CellLrp>{{"app-1", 0}});
    CHECK(c.tasks == std::vector<std::string>{"task-1"});
    CHECK(c.optional_placement_tags == std::vector<std::string>{"ssd"});
  }
  SECTION("when fields are missing or mistyped, every problem is named") {
    auto bad = cell_state_from_json(R"({"zone": 3, "lrps": [{"index": "x"}]})");
    REQUIRE(!bad);
    const auto& m = bad.error().message;
    CHECK(m.find("cell_id: is required") != std::string::npos);
    CHECK(m.find("zone: expected a string") != std::string::npos);
    CHECK(m.find("total: is required") != std::string::npos);
    CHECK(m.find("lrps[0].process_guid: is required") != std::string::npos);
    CHECK(m.find("lrps[0].index: expected an integer") != std::string::npos);
  }
}

TEST_CASE("perform JSON") {
  Work w;
  w.lrps.push_back({"app-1", "cf-apps", 3, 128, 64, 1024, "preloaded:cupolafs", {"gpu"}});
  w.tasks.push_back({"task-1", "tasks", 256, 32, 0, "docker:///busybox", {}});

  SECTION("when a body is written and read back, it is the same") {
    auto back = work_from_json(to_json(w));
    REQUIRE(back);
    CHECK(*back == w);
  }
  SECTION("when a reply is written and read back, it lists the failed work") {
    auto back = perform_reply_from_json(to_perform_reply_json(w));
    REQUIRE(back);
    CHECK(*back == w);
    CHECK(to_perform_reply_json(w).find("\"failed_lrps\"") != std::string::npos);
  }
  SECTION("when an empty reply comes back, nothing was refused") {
    auto back = perform_reply_from_json("{}");
    REQUIRE(back);
    CHECK(back->empty());
  }
  SECTION("when the body must carry lrps and does not, that is the problem") {
    auto bad = work_from_json(R"({"tasks": []})", "lrps");
    REQUIRE(!bad);
    CHECK(bad.error().message.find("lrps: is required") != std::string::npos);
  }
  SECTION("when a start request has an empty guid or negative numbers, they are refused") {
    auto bad = work_from_json(
        R"({"lrps": [{"process_guid": "", "index": -1, "memory_mb": -5}], "tasks": [{}]})");
    REQUIRE(!bad);
    const auto& m = bad.error().message;
    CHECK(m.find("lrps[0].process_guid: must not be empty") != std::string::npos);
    CHECK(m.find("lrps[0].index: must not be negative") != std::string::npos);
    CHECK(m.find("lrps[0].memory_mb: must not be negative") != std::string::npos);
    CHECK(m.find("tasks[0].task_guid: is required") != std::string::npos);
  }
  SECTION("when the body is not JSON, the parser says where") {
    auto bad = work_from_json("{", "lrps");
    REQUIRE(!bad);
    CHECK(bad.error().message.find("invalid JSON") != std::string::npos);
  }
  SECTION("subjects name the cell") {
    CHECK(state_subject("cell-1") == "diego.rep.cell-1.state");
    CHECK(perform_subject("cell-1") == "diego.rep.cell-1.perform");
  }
}

TEST_CASE("the BBS's start requests read as the auctioneer's work") {
  bbs::LrpStartRequest l{"app-1", "cf-apps", 2, 128, 64, 1024, "preloaded:cupolafs", {"gpu"}};
  bbs::TaskStartRequest t{"task-1", "tasks", 256, 32, 10, "docker:///busybox", {}};

  auto lrps = work_from_json(bbs::lrp_auctions_json({l}), "lrps");
  REQUIRE(lrps);
  REQUIRE(lrps->lrps.size() == 1);
  CHECK(lrps->lrps[0] ==
        LrpWork{"app-1", "cf-apps", 2, 128, 64, 1024, "preloaded:cupolafs", {"gpu"}});

  auto tasks = work_from_json(bbs::task_auctions_json({t}), "tasks");
  REQUIRE(tasks);
  REQUIRE(tasks->tasks.size() == 1);
  CHECK(tasks->tasks[0] == TaskWork{"task-1", "tasks", 256, 32, 10, "docker:///busybox", {}});
}
