#include "bbs/src/convergence/task_convergence.h"

#include <catch2/catch.hpp>

namespace cupola::bbs {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;

Task task(std::string guid, TaskState state, std::int64_t created_at) {
  Task t;
  t.task_guid = std::move(guid);
  t.domain = "cf-tasks";
  t.state = state;
  t.created_at = created_at;
  t.updated_at = created_at;
  t.definition.root_fs = "preloaded:cupolafs";
  t.definition.action = R"({"run":{"path":"/bin/migrate"}})";
  t.definition.memory_mb = 512;
  t.definition.disk_mb = 1024;
  t.definition.max_pids = 64;
  t.definition.placement_tags = {"blue"};
  t.modification_tag = {"epoch-" + t.task_guid, 2};
  return t;
}

Task running(std::string guid, std::string cell) {
  Task t = task(std::move(guid), TaskState::Running, kT0 - kMinute);
  t.cell_id = std::move(cell);
  return t;
}

// Completed (or Resolving) at `completed_at`, last touched at `updated_at`.
Task finished(std::string guid, TaskState state, std::int64_t completed_at, std::int64_t updated_at,
              std::string callback_url = "") {
  Task t = task(std::move(guid), state, completed_at - kMinute);
  t.first_completed_at = completed_at;
  t.updated_at = updated_at;
  t.result = "ok";
  t.definition.completion_callback_url = std::move(callback_url);
  return t;
}

TaskConvergenceResult converge(std::vector<Task> tasks, std::int64_t now = kT0) {
  return converge_tasks({std::move(tasks), {"cell-a"}, now});
}

void check_failed(const TaskUpdate& c, std::string_view reason) {
  CHECK(c.after.state == TaskState::Completed);
  CHECK(c.after.failed);
  CHECK(c.after.failure_reason == reason);
  CHECK(c.after.result.empty());
  CHECK(c.after.cell_id.empty());
  CHECK(c.after.first_completed_at == kT0);
  CHECK(c.after.updated_at == kT0);
  CHECK(c.after.modification_tag == c.before.modification_tag.incremented());
}

TEST_CASE("converge_tasks expires and re-auctions pending tasks", "[convergence][tasks]") {
  SECTION("when a pending task is exactly 30 min old it is sent to the auctioneer again") {
    const auto r = converge({task("t1", TaskState::Pending, kT0 - 30 * kMinute)});
    CHECK(r.failures.empty());
    REQUIRE(r.start_requests.size() == 1);
    CHECK(r.start_requests[0] ==
          TaskStartRequest{"t1", "cf-tasks", 512, 1024, 64, "preloaded:cupolafs", {"blue"}});
  }
  SECTION("when a pending task was created just now it is re-sent too") {
    CHECK(converge({task("t1", TaskState::Pending, kT0)}).start_requests.size() == 1);
  }
  SECTION("when it is older than 30 min it fails as not started, and is not auctioned") {
    const auto r = converge({task("t1", TaskState::Pending, kT0 - 30 * kMinute - 1)});
    REQUIRE(r.failures.size() == 1);
    check_failed(r.failures[0], "not started within time limit");
    CHECK(r.start_requests.empty());
    CHECK(r.counters.expired_pending == 1);
  }
}

TEST_CASE("converge_tasks fails running tasks whose cell disappeared", "[convergence][tasks]") {
  SECTION("when the cell is live nothing happens") {
    const auto r = converge({running("t1", "cell-a")});
    CHECK(r.failures.empty());
    CHECK(r.counters.running == 1);
  }
  SECTION("when the cell is gone the task completes as failed and is never re-run") {
    const auto r = converge({running("t1", "cell-gone")});
    REQUIRE(r.failures.size() == 1);
    check_failed(r.failures[0], "cell disappeared before completion");
    CHECK(r.start_requests.empty());
    CHECK(r.counters.cell_disappeared == 1);
  }
  SECTION("when no cell is live every running task fails") {
    const auto r = converge_tasks({{running("t1", "cell-a"), running("t2", "cell-b")}, {}, kT0});
    CHECK(r.failures.size() == 2);
  }
}

TEST_CASE("converge_tasks deletes completed tasks nobody resolved", "[convergence][tasks]") {
  const std::string url = "http://cc.internal/tasks/t1/completed";

  SECTION("when it completed exactly 2 min ago it is kept") {
    const auto r = converge({finished("t1", TaskState::Completed, kT0 - 2 * kMinute, kT0)});
    CHECK(r.deletions.empty());
  }
  SECTION("when it completed longer ago it is deleted, without a callback") {
    const auto r =
        converge({finished("t1", TaskState::Completed, kT0 - 2 * kMinute - 1, kT0 - kMinute, url)});
    REQUIRE(r.deletions.size() == 1);
    CHECK(r.deletions[0].task_guid == "t1");
    CHECK(r.callbacks.empty());
  }
  SECTION("when its callback was last tried exactly 30 s ago it is not retried yet") {
    const auto r =
        converge({finished("t1", TaskState::Completed, kT0 - kMinute, kT0 - 30 * kSecond, url)});
    CHECK(r.callbacks.empty());
  }
  SECTION("when it was last touched over 30 s ago its callback is retried") {
    const auto r = converge(
        {finished("t1", TaskState::Completed, kT0 - kMinute, kT0 - 30 * kSecond - 1, url)});
    REQUIRE(r.callbacks.size() == 1);
    CHECK(r.callbacks[0].task_guid == "t1");
    CHECK(r.deletions.empty());
  }
  SECTION("when it has no callback URL it just waits for its client") {
    const auto r = converge({finished("t1", TaskState::Completed, kT0 - kMinute, kT0 - kMinute)});
    CHECK(r.callbacks.empty());
    CHECK(r.deletions.empty());
  }
}

TEST_CASE("converge_tasks demotes stuck resolving tasks", "[convergence][tasks]") {
  const std::string url = "http://cc.internal/tasks/t1/completed";

  SECTION("when it has been resolving for exactly 30 s it is left alone") {
    const auto r =
        converge({finished("t1", TaskState::Resolving, kT0 - kMinute, kT0 - 30 * kSecond, url)});
    CHECK(r.demotions.empty());
    CHECK(r.callbacks.empty());
  }
  SECTION("when it is stuck longer it goes back to Completed and the callback is retried") {
    const Task stuck =
        finished("t1", TaskState::Resolving, kT0 - kMinute, kT0 - 30 * kSecond - 1, url);
    const auto r = converge({stuck});
    REQUIRE(r.demotions.size() == 1);
    const Task& after = r.demotions[0].after;
    CHECK(after.state == TaskState::Completed);
    CHECK(after.updated_at == stuck.updated_at);
    CHECK(after.result == "ok");
    CHECK(after.modification_tag == stuck.modification_tag.incremented());
    REQUIRE(r.callbacks.size() == 1);
    CHECK(r.callbacks[0] == after);
  }
  SECTION("when it is stuck and completed over 2 min ago it is deleted instead") {
    const auto r =
        converge({finished("t1", TaskState::Resolving, kT0 - 3 * kMinute, kT0 - kMinute, url)});
    CHECK(r.demotions.empty());
    CHECK(r.callbacks.empty());
    REQUIRE(r.deletions.size() == 1);
  }
  SECTION("when it is resolving recently but completed long ago it is left to its resolver") {
    const auto r =
        converge({finished("t1", TaskState::Resolving, kT0 - 10 * kMinute, kT0 - kSecond, url)});
    CHECK(r.deletions.empty());
    CHECK(r.demotions.empty());
  }
}

}  // namespace
}  // namespace cupola::bbs
