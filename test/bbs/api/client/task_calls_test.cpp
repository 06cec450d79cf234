// HttpBbsClient's task, cell, domain and lock calls against a real cupola-bbs.

#include <algorithm>

#include <catch2/catch.hpp>

#include "bbs/api/models/errors.h"
#include "test/bbs/api/client/client_harness.h"

namespace cupola::bbs::test {
namespace {

template <class T>
ErrorType type_of(const Result<T>& s) {
  return s ? ErrorType::UnknownError : error_type_of(s.error());
}

Task task_of(BbsWithClients& t, const std::string& guid) {
  auto task = t.run(t.bbs.task_by_guid(guid));
  REQUIRE(task.ok());
  return *task;
}

}  // namespace

TEST_CASE("HttpBbsClient task calls drive a task through its lifecycle", "[integration]") {
  BbsWithClients t;
  const TaskDefinition def = sample_task();
  REQUIRE(t.run(t.bbs.desire_task("task-1", "cf-tasks", def)).ok());
  Task pending = task_of(t, "task-1");
  CHECK(pending.domain == "cf-tasks");
  CHECK(pending.definition == def);
  CHECK(pending.state == TaskState::Pending);
  CHECK(type_of(t.run(t.bbs.desire_task("task-1", "cf-tasks", def))) == ErrorType::ResourceExists);

  SECTION("when it runs and completes, the result is kept until it is resolved") {
    auto started = t.run(t.bbs.start_task("task-1", "cell-1"));
    REQUIRE(started.ok());
    CHECK(*started);
    auto again = t.run(t.bbs.start_task("task-1", "cell-1"));
    REQUIRE(again.ok());
    CHECK_FALSE(*again);  // already running there
    TaskQuery running;
    running.cell_id = "cell-1";
    running.state = TaskState::Running;
    auto listed = t.run(t.bbs.tasks(running));
    REQUIRE(listed.ok());
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().task_guid == "task-1");

    auto elsewhere = t.run(t.bbs.complete_task("task-1", "cell-2", false, "", "42"));
    CHECK(type_of(elsewhere) == ErrorType::RunningOnDifferentCell);
    REQUIRE(t.run(t.bbs.complete_task("task-1", "cell-1", false, "", "42")).ok());
    Task done = task_of(t, "task-1");
    CHECK(done.state == TaskState::Completed);
    CHECK(done.result == "42");
    CHECK_FALSE(done.failed);

    REQUIRE(t.run(t.bbs.resolving_task("task-1")).ok());
    CHECK(task_of(t, "task-1").state == TaskState::Resolving);
    REQUIRE(t.run(t.bbs.resolve_task("task-1")).ok());
    auto gone = t.run(t.bbs.task_by_guid("task-1"));
    REQUIRE_FALSE(gone.ok());
    CHECK(gone.error().code == ErrorType::ResourceNotFound);
  }
  SECTION("when it fails, it completes failed with the reason") {
    REQUIRE(t.run(t.bbs.fail_task("task-1", "no cell has room")).ok());
    Task failed = task_of(t, "task-1");
    CHECK(failed.state == TaskState::Completed);
    CHECK(failed.failed);
    CHECK(failed.failure_reason == "no cell has room");
    CHECK(type_of(t.run(t.bbs.resolve_task("task-1"))) == ErrorType::InvalidStateTransition);
  }
  SECTION("when a cell rejects it, it is pending again with the rejection counted") {
    REQUIRE(t.run(t.bbs.start_task("task-1", "cell-1")).ok());
    REQUIRE(t.run(t.bbs.reject_task("task-1", "out of disk")).ok());
    Task rejected = task_of(t, "task-1");
    CHECK(rejected.state == TaskState::Pending);
    CHECK(rejected.rejection_count == 1);
    CHECK(rejected.rejection_reason == "out of disk");
  }
  SECTION("when it is cancelled, it completes failed") {
    REQUIRE(t.run(t.bbs.cancel_task("task-1")).ok());
    Task cancelled = task_of(t, "task-1");
    CHECK(cancelled.state == TaskState::Completed);
    CHECK(cancelled.failed);
    TaskQuery other_domain;
    other_domain.domain = "elsewhere";
    auto none = t.run(t.bbs.tasks(other_domain));
    REQUIRE(none.ok());
    CHECK(none->empty());
  }
  SECTION("when an unknown task is cancelled, the error is ResourceNotFound") {
    CHECK(type_of(t.run(t.bbs.cancel_task("nope"))) == ErrorType::ResourceNotFound);
  }
}

TEST_CASE("HttpBbsClient: of two cells starting one task exactly one may run it", "[integration]") {
  BbsWithClients t;
  constexpr int kTasks = 10;
  for (int i = 0; i < kTasks; ++i) {
    REQUIRE(t.run(t.bbs.desire_task("race-" + std::to_string(i), "cf-tasks", sample_task())).ok());
  }
  for (int i = 0; i < kTasks; ++i) {
    const std::string guid = "race-" + std::to_string(i);
    auto [a, b] = t.clients.run_both(t.clients.bbs.start_task(guid, "cell-a"),
                                     t.clients.other.start_task(guid, "cell-b"));
    INFO(guid);
    REQUIRE(a.ok() != b.ok());
    const Result<bool>& winner = a.ok() ? a : b;
    const Result<bool>& loser = a.ok() ? b : a;
    CHECK(*winner);
    CHECK(loser.error().code == ErrorType::InvalidStateTransition);
    CHECK(task_of(t, guid).cell_id == (a.ok() ? "cell-a" : "cell-b"));
  }
}

TEST_CASE("HttpBbsClient cell, domain and lock calls", "[integration]") {
  BbsWithClients t;
  CellPresence cell;
  cell.cell_id = "cell-1";
  cell.rep_address = "nats";
  cell.zone = "z1";
  cell.capacity = CellCapacity{4096, 8192, 100};
  cell.stacks.push_back("cupolafs");
  cell.placement_tags.push_back("gpu");
  REQUIRE(t.run(t.bbs.heartbeat_cell(cell, 30)).ok());
  auto cells = t.run(t.bbs.cells());
  REQUIRE(cells.ok());
  REQUIRE(cells->size() == 1);
  CHECK(cells->front() == cell);
  CellPresence nameless = cell;
  nameless.cell_id.clear();
  CHECK(type_of(t.run(t.bbs.heartbeat_cell(nameless, 0))) == ErrorType::InvalidRequest);

  REQUIRE(t.run(t.bbs.upsert_domain("cf-apps", 0)).ok());
  REQUIRE(t.run(t.bbs.upsert_domain("cf-tasks", 120)).ok());
  auto domains = t.run(t.bbs.domains());
  REQUIRE(domains.ok());
  std::sort(domains->begin(), domains->end());
  CHECK(*domains == std::vector<std::string>{"cf-apps", "cf-tasks"});

  REQUIRE(t.run(t.bbs.acquire_lock("auctioneer", "a-1", 10)).ok());
  REQUIRE(t.run(t.bbs.acquire_lock("auctioneer", "a-1", 10)).ok());  // a refresh
  CHECK(type_of(t.run(t.bbs.acquire_lock("auctioneer", "a-2", 10))) == ErrorType::LockCollision);
  CHECK(type_of(t.run(t.bbs.acquire_lock("auctioneer", "a-2", 0))) == ErrorType::InvalidRequest);
  CHECK(type_of(t.run(t.bbs.release_lock("auctioneer", "a-2"))) == ErrorType::ResourceNotFound);
  REQUIRE(t.run(t.bbs.release_lock("auctioneer", "a-1")).ok());
  CHECK(t.run(t.bbs.acquire_lock("auctioneer", "a-2", 10)).ok());

  CHECK(type_of(t.run(t.bbs.get_lock("converger"))) == ErrorType::ResourceNotFound);
  REQUIRE(t.run(t.bbs.acquire_lock("auctioneer", "a-2", 10, "http://10.0.0.2:9016")).ok());
  auto held = t.run(t.bbs.get_lock("auctioneer"));
  REQUIRE(held.ok());
  CHECK(*held == LockRecord{"auctioneer", "a-2", "http://10.0.0.2:9016"});
  REQUIRE(t.run(t.bbs.release_lock("auctioneer", "a-2")).ok());
  CHECK(type_of(t.run(t.bbs.get_lock("auctioneer"))) == ErrorType::ResourceNotFound);
}

}  // namespace cupola::bbs::test
