#include <catch2/catch.hpp>

#include "test/bbs/db/backend.h"
#include "test/bbs/db/fixtures.h"

using namespace cupola;
using namespace cupola::bbs;
using namespace cupola::bbs::contract;

namespace {

using Guids = std::vector<std::string>;

Task running(Task t, std::string cell_id) {
  t.state = TaskState::Running;
  t.cell_id = std::move(cell_id);
  t.updated_at = kNow + kSecond;
  return t;
}

Guids list_guids(Backend& b, TaskFilter filter = {}) {
  auto r = b.run(b.tasks().list(std::move(filter)));
  REQUIRE(r);
  Guids out;
  for (const auto& t : *r) out.push_back(t.task_guid);
  return out;
}

// Pending → Running on `cell_id`, refused from any other state.
std::function<Result<TaskWrite>(const Task&)> start_on(std::string cell_id) {
  return [cell_id](const Task& t) -> Result<TaskWrite> {
    if (!task_transition_allowed(t.state, TaskState::Running)) {
      return bbs_error(ErrorType::InvalidStateTransition,
                       "Cannot transition from " + std::string(to_string(t.state)) + " to RUNNING");
    }
    return TaskWrite{running(t, cell_id), false};
  };
}

}  // namespace

TEST_CASE("TaskDb stores, lists and gets tasks", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& db = b.tasks();
  auto staged = running(task("t-2"), "cell-1");
  REQUIRE(b.run(db.desire(staged)));
  REQUIRE(b.run(db.desire(task("t-1"))));
  REQUIRE(b.run(db.desire(task("t-3", "other"))));

  SECTION("get returns the task as stored") {
    CHECK(*b.run(db.get("t-2")) == staged);
    CHECK(*b.run(db.get("t-1")) == task("t-1"));
  }
  SECTION("get of an unknown guid is ResourceNotFound") {
    CHECK(type_of(b.run(db.get("missing"))) == ErrorType::ResourceNotFound);
  }
  SECTION("a duplicate desire is ResourceExists and leaves the first") {
    CHECK(type_of(b.run(db.desire(task("t-2")))) == ErrorType::ResourceExists);
    CHECK(*b.run(db.get("t-2")) == staged);
  }
  SECTION("list orders by guid and filters by domain, cell and state") {
    CHECK(list_guids(b) == Guids{"t-1", "t-2", "t-3"});
    CHECK(list_guids(b, {.domain = "cf-tasks"}) == Guids{"t-1", "t-2"});
    CHECK(list_guids(b, {.cell_id = "cell-1"}) == Guids{"t-2"});
    CHECK(list_guids(b, {.state = TaskState::Pending}) == Guids{"t-1", "t-3"});
    CHECK(list_guids(b, {.domain = "other", .state = TaskState::Pending}) == Guids{"t-3"});
    CHECK(list_guids(b, {.cell_id = "cell-2"}).empty());
  }
}

TEST_CASE("TaskDb mutate writes the decision under the task's lock", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& db = b.tasks();
  REQUIRE(b.run(db.desire(task("t"))));

  SECTION("a change is stored with the tag index one up and returned") {
    auto r = b.run(db.mutate("t", start_on("cell-1")));
    REQUIRE(r);
    CHECK(r->before == task("t"));
    auto expected = running(task("t"), "cell-1");
    expected.modification_tag.index = 1;
    REQUIRE(r->after);
    CHECK(*r->after == expected);
    CHECK_FALSE(r->removed);
    CHECK(*b.run(db.get("t")) == expected);
    SECTION("and a second start sees RUNNING and is refused") {
      auto again = b.run(db.mutate("t", start_on("cell-2")));
      CHECK(type_of(again) == ErrorType::InvalidStateTransition);
      CHECK(*b.run(db.get("t")) == expected);
    }
  }
  SECTION("the guid and the stored tag are kept whatever decide returns") {
    auto r = b.run(db.mutate("t", [](const Task& t) {
      auto next = t;
      next.task_guid = "other";
      next.modification_tag = {"forged", 9};
      next.failed = true;
      return Result<TaskWrite>(TaskWrite{next, false});
    }));
    REQUIRE(r);
    CHECK(r->after->task_guid == "t");
    CHECK(r->after->modification_tag == ModificationTag{"epoch-t", 1});
    CHECK(b.run(db.get("t"))->failed);
    CHECK(type_of(b.run(db.get("other"))) == ErrorType::ResourceNotFound);
  }
  SECTION("an empty write leaves the task as it was") {
    auto r = b.run(db.mutate("t", [](const Task&) { return Result<TaskWrite>(TaskWrite{}); }));
    REQUIRE(r);
    CHECK_FALSE(r->after);
    CHECK_FALSE(r->removed);
    CHECK(*b.run(db.get("t")) == task("t"));
  }
  SECTION("a removal deletes the task") {
    auto r = b.run(db.mutate("t", [](const Task&) {
      return Result<TaskWrite>(TaskWrite{std::nullopt, true});
    }));
    REQUIRE(r);
    CHECK(r->removed);
    CHECK(r->before == task("t"));
    CHECK_FALSE(r->after);
    CHECK(type_of(b.run(db.get("t"))) == ErrorType::ResourceNotFound);
    CHECK(list_guids(b).empty());
  }
  SECTION("decide's error comes back as is") {
    auto r = b.run(db.mutate("t", [](const Task&) -> Result<TaskWrite> {
      return bbs_error(ErrorType::RunningOnDifferentCell, "Running on cell a not b");
    }));
    CHECK(type_of(r) == ErrorType::RunningOnDifferentCell);
    CHECK(*b.run(db.get("t")) == task("t"));
  }
  SECTION("an unknown guid is ResourceNotFound") {
    CHECK(type_of(b.run(db.mutate("missing", start_on("cell-1")))) == ErrorType::ResourceNotFound);
  }
}
