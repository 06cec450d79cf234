#include "bbs/src/controllers/task_controller.h"

#include <catch2/catch.hpp>

#include "bbs/api/models/errors.h"
#include "test/bbs/controllers/harness.h"

using namespace cupola;
using namespace cupola::bbs;
using cupola::bbs::test::Harness;

namespace {
Task staging_task(std::string callback = "") {
  Task t;
  t.task_guid = "stage-1";
  t.domain = "cf-tasks";
  t.definition.root_fs = "preloaded:cupolafs";
  t.definition.action = R"({"run":{"path":"/tmp/lifecycle/builder"}})";
  t.definition.memory_mb = 1024;
  t.definition.completion_callback_url = std::move(callback);
  return t;
}
}  // namespace

TEST_CASE("a task runs at most once and reports its completion") {
  Harness h;
  REQUIRE(h.run(h.task_ctl.desire(staging_task("http://127.0.0.1:9022/staged"))).ok());
  CHECK(h.tasks.tasks().at(0).state == TaskState::Pending);
  REQUIRE(h.auctioneer.tasks.size() == 1);
  CHECK(h.auctioneer.tasks[0].memory_mb == 1024);
  CHECK(h.event_types() == std::vector<std::string>{"task_created"});

  auto first = h.run(h.task_ctl.start("stage-1", "cell-1"));
  auto second = h.run(h.task_ctl.start("stage-1", "cell-2"));
  auto repeat = h.run(h.task_ctl.start("stage-1", "cell-1"));
  REQUIRE(first.ok());
  CHECK(*first);
  REQUIRE_FALSE(second.ok());
  CHECK(error_type_of(second.error()) == ErrorType::InvalidStateTransition);
  REQUIRE(repeat.ok());
  CHECK_FALSE(*repeat);

  REQUIRE(h.run(h.task_ctl.complete("stage-1", {"cell-1", false, "", "droplet-guid"})).ok());
  REQUIRE(h.completions.completed.size() == 1);
  CHECK(h.completions.completed[0].result == "droplet-guid");

  SECTION("the result is resolved once, then the task is gone") {
    REQUIRE(h.run(h.task_ctl.resolving("stage-1")).ok());
    CHECK_FALSE(h.run(h.task_ctl.resolving("stage-1")).ok());
    REQUIRE(h.run(h.task_ctl.resolve("stage-1")).ok());
    CHECK(h.tasks.tasks().empty());
    auto types = h.event_types();
    REQUIRE_FALSE(types.empty());
    CHECK(types.back() == "task_removed");
  }
}

TEST_CASE("cancelling a running task tells its cell") {
  Harness h;
  REQUIRE(h.run(h.task_ctl.desire(staging_task())).ok());
  REQUIRE(*h.run(h.task_ctl.start("stage-1", "cell-1")));
  REQUIRE(h.run(h.task_ctl.cancel("stage-1")).ok());
  auto t = h.tasks.tasks().at(0);
  CHECK(t.state == TaskState::Completed);
  CHECK(t.failed);
  CHECK(t.failure_reason == "task was cancelled");
  REQUIRE(h.reps.cancelled.size() == 1);
  CHECK(h.reps.cancelled[0].first == "cell-1");
  CHECK(h.completions.completed.empty());  // no callback URL
}

TEST_CASE("bad tasks are refused whole") {
  Harness h;
  auto bad = staging_task("ftp://nowhere");
  bad.task_guid = "has spaces";
  auto s = h.run(h.task_ctl.desire(bad));
  REQUIRE_FALSE(s.ok());
  CHECK(error_type_of(s.error()) == ErrorType::InvalidRequest);
  CHECK(s.error().message == "Invalid field: task_guid, Invalid field: completion_callback_url");
  CHECK(h.tasks.tasks().empty());
  CHECK(h.auctioneer.tasks.empty());
}
