#include "bbs/api/codec/codec.h"

#include <catch2/catch.hpp>

#include "bbs/api/models/errors.h"

using namespace cupola;
using namespace cupola::bbs;

TEST_CASE("ActualLRPs round-trip through JSON with flattened keys") {
  ActualLrp l;
  l.key = {"pg-1", 2, "cf-apps"};
  l.instance_key = {"ig-1", "cell-1"};
  l.net_info = {"10.0.0.5", {{8080, 61001}}, ""};
  l.state = ActualLrpState::Running;
  l.presence = Presence::Suspect;
  l.crash_count = 1;
  l.crash_reason = "exit 1";
  l.since = 1'700'000'000'000'000'000;
  l.modification_tag = {"epoch-1", 7};
  l.routable = true;
  l.availability_zone = "z1";
  auto text = to_json(l);
  CHECK(text.find(R"("process_guid":"pg-1","index":2,"domain":"cf-apps")") != std::string::npos);
  CHECK(text.find(R"("state":"RUNNING","presence":"SUSPECT")") != std::string::npos);
  auto back = from_json<ActualLrp>(text, "actual LRP");
  REQUIRE(back.ok());
  CHECK(*back == l);
}

TEST_CASE("DesiredLRPs keep actions and routes as JSON") {
  auto text = R"({"process_guid":"app-1","domain":"cf-apps","rootfs":"preloaded:cupolafs",
    "instances":3,"memory_mb":256,"env":[{"name":"PORT","value":"8080"}],
    "action":{"run":{"path":"/bin/app"}},"routes":{"cf-router":[{"hostnames":["a.b"],"port":8080}]},
    "ports":[8080],"placement_tags":["x"],"log_rate_limit":{"bytes_per_second":16384}})";
  auto d = from_json<DesiredLrp>(text, "desired LRP");
  REQUIRE(d.ok());
  CHECK(d->instances == 3);
  CHECK(d->log_rate_limit_bytes_per_second == 16384);
  CHECK(d->env.at(0).name == "PORT");
  CHECK(d->action == R"({"run":{"path":"/bin/app"}})");
  CHECK(d->routes == R"({"cf-router":[{"hostnames":["a.b"],"port":8080}]})");
  CHECK(validate(*d).empty());
  auto again = from_json<DesiredLrp>(to_json(*d), "desired LRP");
  REQUIRE(again.ok());
  CHECK(*again == *d);

  SECTION("bad records name each field") {
    auto bad = from_json<DesiredLrp>(
        R"({"process_guid":7,"domain":"d","rootfs":"x:y","action":"run","instances":"two"})",
        "desired LRP");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("process_guid: expected a string, got a number") !=
          std::string::npos);
    CHECK(bad.error().message.find("action: expected an object, got a string") !=
          std::string::npos);
    CHECK(bad.error().message.find("instances: expected an integer, got a string") !=
          std::string::npos);
  }
  SECTION("a negative log rate limit is refused") {
    auto bad = from_json<DesiredLrp>(
        R"({"process_guid":"a","domain":"d","rootfs":"x:y","action":{"run":{"path":"/x"}},
            "log_rate_limit":{"bytes_per_second":-5}})",
        "desired LRP");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("log_rate_limit: bytes_per_second must not be negative") !=
          std::string::npos);
  }
  SECTION("semantic validation") {
    DesiredLrp v = *d;
    v.instances = -1;
    v.process_guid = "has space";
    v.root_fs = "norootfs";
    auto p = validate(v);
    CHECK(p == std::vector<std::string>{"Invalid field: process_guid", "Invalid field: rootfs",
                                        "Invalid field: instances"});
  }
}

TEST_CASE("Tasks flatten their definition and use upper-case states") {
  Task t;
  t.task_guid = "task-1";
  t.domain = "cf-tasks";
  t.definition.root_fs = "preloaded:cupolafs";
  t.definition.action = R"({"run":{"path":"/bin/true"}})";
  t.definition.completion_callback_url = "http://127.0.0.1:9022/callback";
  t.state = TaskState::Completed;
  t.failed = true;
  t.failure_reason = "boom";
  t.created_at = 5;
  t.modification_tag = {"e", 2};
  auto text = to_json(t);
  CHECK(text.find(R"("rootfs":"preloaded:cupolafs")") != std::string::npos);
  CHECK(text.find(R"("state":"COMPLETED")") != std::string::npos);
  auto back = from_json<Task>(text, "task");
  REQUIRE(back.ok());
  CHECK(*back == t);
  CHECK(validate(t).empty());

  auto bad = from_json<Task>(R"({"task_guid":"t","domain":"d","rootfs":"a:b",
    "action":{},"state":"DONE"})",
                             "task");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("state: unknown value \"DONE\"") != std::string::npos);
}

TEST_CASE("task transitions") {
  CHECK(task_transition_allowed(TaskState::Pending, TaskState::Running));
  CHECK(task_transition_allowed(TaskState::Running, TaskState::Completed));
  CHECK(task_transition_allowed(TaskState::Completed, TaskState::Resolving));
  CHECK_FALSE(task_transition_allowed(TaskState::Pending, TaskState::Completed));
  CHECK_FALSE(task_transition_allowed(TaskState::Running, TaskState::Running));
  CHECK_FALSE(task_transition_allowed(TaskState::Resolving, TaskState::Completed));
}

TEST_CASE("cell presences") {
  auto c = from_json<CellPresence>(R"({"cell_id":"cell-1","rep_address":"nats",
    "zone":"z1","capacity":{"memory_mb":4096,"disk_mb":8192,"containers":100},
    "stacks":["cupolafs"]})",
                                   "cell presence");
  REQUIRE(c.ok());
  CHECK(c->capacity.containers == 100);
  CHECK(validate(*c).empty());
  CHECK(*from_json<CellPresence>(to_json(*c), "cell") == *c);
  auto missing = from_json<CellPresence>(R"({"cell_id":"c"})", "cell presence");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("rep_address: is required") != std::string::npos);
  CHECK(missing.error().message.find("capacity: is required") != std::string::npos);
}

TEST_CASE("BBS error types map by name and from plumbing codes") {
  CHECK(error_type_name(ErrorType::ActualLRPCannotBeClaimed) == "ActualLRPCannotBeClaimed");
  CHECK(parse_error_type("ResourceNotFound") == ErrorType::ResourceNotFound);
  CHECK(parse_error_type("Nope") == ErrorType::UnknownError);
  CHECK(error_type_of(make_error(Errc::NotFound, "x")) == ErrorType::ResourceNotFound);
  CHECK(error_type_of(bbs_error(ErrorType::ResourceExists, "dup")) == ErrorType::ResourceExists);
}
