#include "bbs/src/lifecycle/task_lifecycle.h"

#include <catch2/catch.hpp>

#include "bbs/api/models/errors.h"

using namespace cupola;
using namespace cupola::bbs;

namespace {
Task task_in(TaskState s, std::string cell = "") {
  Task t;
  t.task_guid = "t-1";
  t.domain = "d";
  t.state = s;
  t.cell_id = std::move(cell);
  return t;
}
}  // namespace

TEST_CASE("task start happens once") {
  auto first = decide_start_task(task_in(TaskState::Pending), "cell-1", 10);
  REQUIRE(first.ok());
  REQUIRE(first->after.has_value());
  CHECK(first->after->state == TaskState::Running);
  CHECK(first->after->cell_id == "cell-1");
  auto repeat = decide_start_task(*first->after, "cell-1", 11);
  REQUIRE(repeat.ok());
  CHECK_FALSE(repeat->after.has_value());
  auto other = decide_start_task(*first->after, "cell-2", 11);
  REQUIRE_FALSE(other.ok());
  CHECK(error_type_of(other.error()) == ErrorType::InvalidStateTransition);
  CHECK(other.error().message == "Cannot transition from RUNNING to RUNNING");
}

TEST_CASE("task completion, failure, rejection and resolution") {
  SECTION("complete on the running cell") {
    auto c = decide_complete_task(task_in(TaskState::Running, "cell-1"),
                                  {"cell-1", false, "", "42"}, 20);
    REQUIRE(c.ok());
    CHECK(c->after->state == TaskState::Completed);
    CHECK(c->after->result == "42");
    CHECK(c->after->cell_id.empty());
    CHECK(c->after->first_completed_at == 20);
  }
  SECTION("complete from another cell") {
    auto c = decide_complete_task(task_in(TaskState::Running, "cell-1"), {"cell-2"}, 20);
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message == "Running on cell cell-1 not cell-2");
  }
  SECTION("fail and cancel only before completion") {
    CHECK(decide_fail_task(task_in(TaskState::Pending), "x", 1)->after->failed);
    CHECK_FALSE(decide_fail_task(task_in(TaskState::Completed), "x", 1).ok());
  }
  SECTION("rejections put the task back until the limit") {
    auto t = task_in(TaskState::Running, "cell-1");
    for (int i = 0; i < kMaxTaskRejections; ++i) {
      auto r = decide_reject_task(t, "no room", 5);
      REQUIRE(r.ok());
      t = *r->after;
      CHECK(t.state == TaskState::Pending);
      CHECK(t.cell_id.empty());
    }
    auto last = decide_reject_task(t, "no room", 6);
    CHECK(last->after->state == TaskState::Completed);
    CHECK(last->after->failed);
    CHECK(last->after->failure_reason == "no room");
  }
  SECTION("resolving then resolve deletes") {
    auto resolving = decide_resolving_task(task_in(TaskState::Completed), 7);
    REQUIRE(resolving.ok());
    CHECK(resolving->after->state == TaskState::Resolving);
    CHECK_FALSE(decide_resolving_task(*resolving->after, 8).ok());  // only once
    auto resolved = decide_resolve_task(*resolving->after);
    CHECK(resolved->remove);
    CHECK_FALSE(decide_resolve_task(task_in(TaskState::Completed)).ok());
  }
}
