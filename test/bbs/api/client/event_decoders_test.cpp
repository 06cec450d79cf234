// The event decoders (bbs/api/client/event_stream.h) over the events the BBS builds
// (bbs/api/events.h).

#include <catch2/catch.hpp>

#include "bbs/api/client/event_stream.h"
#include "bbs/api/models/errors.h"

namespace cupola::bbs {
namespace {

ActualLrp running_instance() {
  ActualLrp lrp;
  lrp.key = ActualLrpKey{"web", 2, "cf-apps"};
  lrp.instance_key = ActualLrpInstanceKey{"ig-1", "cell-1"};
  lrp.net_info.address = "10.0.0.7";
  lrp.net_info.ports.push_back(PortMapping{8080, 61001});
  lrp.state = ActualLrpState::Running;
  lrp.since = 1'700'000'000'000'000'000;
  lrp.modification_tag = ModificationTag{"epoch-1", 3};
  lrp.routable = true;
  return lrp;
}

DesiredLrp web() {
  DesiredLrp lrp;
  lrp.process_guid = "web";
  lrp.domain = "cf-apps";
  lrp.root_fs = "preloaded:cupolafs";
  lrp.instances = 2;
  lrp.action = R"({"run":{"path":"/bin/web"}})";
  lrp.routes = R"({"cf-router":[{"hostnames":["web.example.com"],"port":8080}]})";
  lrp.ports.push_back(8080);
  lrp.modification_tag = ModificationTag{"epoch-d", 0};
  return lrp;
}

}  // namespace

TEST_CASE("event decoders") {
  SECTION("when an event carries one record, it decodes to that record") {
    auto desired = decode_desired_lrp(desired_lrp_created(web()));
    REQUIRE(desired.ok());
    CHECK(*desired == web());
    auto removed = decode_actual_lrp(actual_lrp_removed(running_instance()));
    REQUIRE(removed.ok());
    CHECK(*removed == running_instance());
    Task task;
    task.task_guid = "t-1";
    task.domain = "cf-tasks";
    task.definition.root_fs = "preloaded:cupolafs";
    task.definition.action = R"({"run":{"path":"/bin/true"}})";
    auto created = decode_task(task_created(task));
    REQUIRE(created.ok());
    CHECK(*created == task);
  }
  SECTION("when an event carries a change, it decodes to before and after") {
    ActualLrp before = running_instance();
    ActualLrp after = before;
    after.state = ActualLrpState::Crashed;
    after.modification_tag = before.modification_tag.incremented();
    auto change = decode_actual_lrp_change(actual_lrp_changed(before, after));
    REQUIRE(change.ok());
    CHECK(change->before == before);
    CHECK(change->after == after);
    DesiredLrp scaled = web();
    scaled.instances = 5;
    auto desired = decode_desired_lrp_change(desired_lrp_changed(web(), scaled));
    REQUIRE(desired.ok());
    CHECK(desired->after.instances == 5);
  }
  SECTION("when an instance crashed, the crash decodes with where it ran") {
    ActualLrp after = running_instance();
    after.instance_key = {};
    after.crash_count = 2;
    after.crash_reason = "exit status 137";
    auto crash = decode_actual_lrp_crash(actual_lrp_crashed(running_instance(), after));
    REQUIRE(crash.ok());
    CHECK(crash->key == running_instance().key);
    CHECK(crash->instance_key == running_instance().instance_key);
    CHECK(crash->crash_count == 2);
    CHECK(crash->crash_reason == "exit status 137");
    CHECK(crash->since == after.since);
  }
  SECTION("when the decoder does not fit the event's type, the error is InvalidArgument") {
    auto wrong = decode_actual_lrp(desired_lrp_created(web()));
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == Errc::InvalidArgument);
    CHECK(wrong.error().message.find("desired_lrp_created") != std::string::npos);
  }
  SECTION("when the data does not hold the record, the error is InvalidResponse") {
    Event broken{std::string(event_types::kActualLrpChanged), R"({"before": {"index": "x"}})"};
    auto change = decode_actual_lrp_change(broken);
    REQUIRE_FALSE(change.ok());
    CHECK(change.error().code == ErrorType::InvalidResponse);
    CHECK(change.error().message.find("before.process_guid") != std::string::npos);
    Event not_json{std::string(event_types::kTaskCreated), "{"};
    CHECK(decode_task(not_json).error().code == ErrorType::InvalidResponse);
  }
}

}  // namespace cupola::bbs
