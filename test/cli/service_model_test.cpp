// The pure parts of the service commands: -c and -t as cf reads them, the request bodies,
// the words for operations and missing plans, the services table from the Cloud Controller's
// documents, and the service command specs a user meets in help.
#include "cli/src/commands/service_model.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "cli/src/args.h"
#include "cli/src/session.h"
#include "common/testing/temp_dir.h"

using namespace cupola;
using namespace cupola::cli;

namespace {

const char* kInvalidParameters =
    "Invalid configuration provided for -c flag. Please provide a valid JSON object or path to "
    "a file containing a valid JSON object.";

json::Document doc(std::string_view text) {
  auto d = json::parse(text);
  REQUIRE(d.ok());
  return std::move(*d);
}

// A page of GET /v3/service_instances with `fields` for plans, offerings and brokers: a
// user-provided instance, two managed ones of two brokers, one mid-delete.
const char* kInstancesPage = R"({
  "resources": [
    {"guid": "si-1", "name": "creds", "type": "user-provided",
     "last_operation": {"type": "create", "state": "succeeded"}},
    {"guid": "si-2", "name": "db", "type": "managed", "upgrade_available": false,
     "last_operation": {"type": "create", "state": "in progress", "description": "provisioning"},
     "relationships": {"service_plan": {"data": {"guid": "plan-small"}},
                       "space": {"data": {"guid": "space-1"}}}},
    {"guid": "si-3", "name": "mq", "type": "managed",
     "last_operation": {"type": "delete", "state": "failed"},
     "relationships": {"service_plan": {"data": {"guid": "plan-queue"}}}}
  ],
  "included": {
    "service_plans": [
      {"guid": "plan-small", "name": "small",
       "relationships": {"service_offering": {"data": {"guid": "off-pg"}}}},
      {"guid": "plan-queue", "name": "queue",
       "relationships": {"service_offering": {"data": {"guid": "off-mq"}}}}
    ],
    "service_offerings": [
      {"guid": "off-pg", "name": "postgresql",
       "relationships": {"service_broker": {"data": {"guid": "b-pg"}}}},
      {"guid": "off-mq", "name": "rabbitmq",
       "relationships": {"service_broker": {"data": {"guid": "b-mq"}}}}
    ],
    "service_brokers": [{"guid": "b-pg", "name": "cupola-pg"}, {"guid": "b-mq", "name": "mq-broker"}]
  }
})";

const Command* command(const std::string& name) {
  for (const auto& c : all_commands()) {
    if (c.spec.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("-c takes a JSON object inline or from a file, as cf does") {
  SECTION("when the value is a JSON object, it is sent compact") {
    auto p = parameters_json(R"({ "ram_gb": 4, "nested": {"a": [1, 2]} })");
    REQUIRE(p.ok());
    CHECK(*p == R"({"ram_gb":4,"nested":{"a":[1,2]}})");
  }
  SECTION("when the value names a file, the file's object is sent") {
    testing::TempDir dir;
    auto file = dir.write_file("params.json", "{\n  \"permissions\": \"read-only\"\n}\n");
    auto p = parameters_json(file.string());
    REQUIRE(p.ok());
    CHECK(*p == R"({"permissions":"read-only"})");
  }
  SECTION("when the value or the file is not a JSON object, the words are cf's") {
    testing::TempDir dir;
    auto broken = dir.write_file("broken.json", R"({"invalid"})");
    for (const std::string& bad :
         {std::string("{"), std::string("[1, 2]"), std::string("\"text\""), broken.string(),
          dir.path().string(), (dir / "missing.json").string()}) {
      auto p = parameters_json(bad);
      REQUIRE_FALSE(p.ok());
      CHECK(p.error().message == kInvalidParameters);
      CHECK(p.error().code == make_error_code(Errc::InvalidArgument));
    }
  }
}

TEST_CASE("-t splits tags on commas and trims them") {
  CHECK(split_tags("list, of, tags") == std::vector<std::string>{"list", "of", "tags"});
  CHECK(split_tags(" db ,\tpg\n, ,") == std::vector<std::string>{"db", "pg"});
  CHECK(split_tags("one") == std::vector<std::string>{"one"});
  SECTION("when -t is empty, the instance's tags are cleared") { CHECK(split_tags("").empty()); }
}

TEST_CASE("an operation reads as its type and state") {
  CHECK(
      last_operation_text(doc(R"({"last_operation": {"type": "create", "state": "succeeded"}})")) ==
      "create succeeded");
  CHECK(last_operation_text(
            doc(R"({"last_operation": {"type": "delete", "state": "in progress"}})")) ==
        "delete in progress");
  CHECK(last_operation_text(doc(R"({"last_operation": {"type": "update", "state": "failed"}})")) ==
        "update failed");
  SECTION("when the type, the state or the operation is missing, nothing is printed") {
    CHECK(last_operation_text(doc(R"({"last_operation": {"state": "succeeded"}})")).empty());
    CHECK(last_operation_text(doc(R"({"last_operation": null})")).empty());
    CHECK(last_operation_text(doc(R"({"name": "db"})")).empty());
  }
}

TEST_CASE("services lists instances with their offering, plan, apps, operation and broker") {
  auto page = doc(kInstancesPage);
  PlanIndex plans = plan_index_from_included(page);
  std::map<std::string, std::string> apps = {{"app-1", "web"}, {"app-2", "worker"}};
  auto bindings = doc(R"([
    {"type": "app", "relationships": {"app": {"data": {"guid": "app-1"}},
                                      "service_instance": {"data": {"guid": "si-2"}}}},
    {"type": "app", "relationships": {"app": {"data": {"guid": "app-2"}},
                                      "service_instance": {"data": {"guid": "si-2"}}}},
    {"type": "app", "relationships": {"app": {"data": {"guid": "other-space"}},
                                      "service_instance": {"data": {"guid": "si-3"}}}},
    {"type": "key", "relationships": {"service_instance": {"data": {"guid": "si-1"}}}}
  ])");
  auto bound = bound_app_names(bindings, apps);
  CHECK(bound == std::map<std::string, std::string>{{"si-2", "web, worker"}});

  Table rows = services_table(page["resources"], plans, bound);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] == std::vector<std::string>{"name", "offering", "plan", "bound apps",
                                            "last operation", "broker", "upgrade available"});
  CHECK(rows[1] ==
        std::vector<std::string>{"creds", "user-provided", "", "", "create succeeded", "", ""});
  CHECK(rows[2] == std::vector<std::string>{"db", "postgresql", "small", "web, worker",
                                            "create in progress", "cupola-pg", "no"});
  CHECK(rows[3] ==
        std::vector<std::string>{"mq", "rabbitmq", "queue", "", "delete failed", "mq-broker", ""});
  CHECK(render_table(rows, false) ==
        "name    offering        plan    bound apps    last operation       broker      "
        "upgrade available\n"
        "creds   user-provided                         create succeeded\n"
        "db      postgresql      small   web, worker   create in progress   cupola-pg   no\n"
        "mq      rabbitmq        queue                 delete failed        mq-broker\n");

  SECTION("when the answer has no included names, managed cells stay empty for the caller") {
    auto bare = doc(R"({"resources": []})");
    CHECK(plan_index_from_included(bare).empty());
    Table rows_without = services_table(page["resources"], {}, {});
    CHECK(rows_without[2] ==
          std::vector<std::string>{"db", "", "", "", "create in progress", "", "no"});
  }
  SECTION("when an included plan does not link its offering, it is left for the caller") {
    auto partial = doc(R"({"included": {
      "service_plans": [{"guid": "p1", "name": "small"}, {"guid": "p2", "name": "large"}],
      "service_offerings": [{"guid": "o1", "name": "postgresql",
                             "relationships": {"service_broker": {"data": {"guid": "b1"}}}}],
      "service_brokers": [{"guid": "b1", "name": "cupola-pg"}]}})");
    CHECK(plan_index_from_included(partial).empty());
  }
  SECTION("when one instance's page has one plan, offering and broker, they belong together") {
    auto single = doc(R"({"included": {
      "service_plans": [{"guid": "p1", "name": "small"}],
      "service_offerings": [{"guid": "o1", "name": "postgresql"}],
      "service_brokers": [{"guid": "b1", "name": "cupola-pg"}]}})");
    PlanIndex index = plan_index_from_included(single);
    REQUIRE(index.count("p1") == 1);
    CHECK(index["p1"].plan == "small");
    CHECK(index["p1"].offering == "postgresql");
    CHECK(index["p1"].offering_guid == "o1");
    CHECK(index["p1"].broker == "cupola-pg");
  }
}

TEST_CASE("request bodies carry only what the user gave") {
  SECTION("create-service sends the plan, the space, and -c and -t when given") {
    auto body =
        doc(create_managed_instance_body("db", "space-1", "plan-1", std::string(R"({"ram_gb":4})"),
                                         std::vector<std::string>{"a", "b"}));
    CHECK(json::to_string(body) ==
          R"({"type":"managed","name":"db","parameters":{"ram_gb":4},"tags":["a","b"],)"
          R"("relationships":{"space":{"data":{"guid":"space-1"}},)"
          R"("service_plan":{"data":{"guid":"plan-1"}}}})");
    auto plain = doc(create_managed_instance_body("db", "s", "p", std::nullopt, std::nullopt));
    CHECK_FALSE(plain.HasMember("parameters"));
    CHECK_FALSE(plain.HasMember("tags"));
  }
  SECTION("update-service sends a new plan, parameters and tags only when asked") {
    CHECK(update_managed_instance_body("", std::nullopt, std::nullopt) == "{}");
    CHECK(update_managed_instance_body("plan-2", std::nullopt, std::vector<std::string>{}) ==
          R"({"tags":[],"relationships":{"service_plan":{"data":{"guid":"plan-2"}}}})");
    CHECK(update_managed_instance_body("", std::string(R"({"x":true})"), std::nullopt) ==
          R"({"parameters":{"x":true}})");
  }
  SECTION("a binding to an app and a service key differ in type and in the app") {
    CHECK(credential_binding_body("si-1", "app-1", "", std::nullopt) ==
          R"({"type":"app","relationships":{"service_instance":{"data":{"guid":"si-1"}},)"
          R"("app":{"data":{"guid":"app-1"}}}})");
    CHECK(credential_binding_body("si-1", "", "mykey", std::string(R"({"ro":true})")) ==
          R"({"type":"key","name":"mykey","parameters":{"ro":true},)"
          R"("relationships":{"service_instance":{"data":{"guid":"si-1"}}}})");
  }
  SECTION("names with quotes stay valid JSON") {
    auto body = doc(create_managed_instance_body("my \"db\"", "s", "p", std::nullopt,
                                                 std::vector<std::string>{"a\\b"}));
    CHECK(std::string(body["name"].GetString()) == "my \"db\"");
    CHECK(std::string(body["tags"][0].GetString()) == "a\\b");
  }
}

TEST_CASE("plans that cannot be chosen are explained in cf's words") {
  CHECK(offering_not_found_text("pg", "") == "Service offering 'pg' not found.");
  CHECK(offering_not_found_text("pg", "b1") ==
        "Service offering 'pg' for service broker 'b1' not found.");
  CHECK(plan_not_found_text("huge", "pg", "") ==
        "The plan 'huge' could not be found for service offering 'pg'.");
  CHECK(plan_not_found_text("huge", "pg", "b1") ==
        "The plan 'huge' could not be found for service offering 'pg' and broker 'b1'.");
  CHECK(broker_required_text("pg") ==
        "Service offering 'pg' is provided by multiple service brokers. Specify a broker name by "
        "using the '-b' flag.");
}

TEST_CASE("a job's state decides between done, in progress and failed") {
  CHECK(job_state(doc(R"({"state": "COMPLETE"})")) == JobState::Complete);
  CHECK(job_state(doc(R"({"state": "PROCESSING"})")) == JobState::Processing);
  CHECK(job_state(doc(R"({"state": "POLLING"})")) == JobState::Processing);
  auto failed = doc(R"({"state": "FAILED", "errors": [
    {"code": 10009, "title": "CF-UnprocessableEntity",
     "detail": "Service broker error: the database server is full"}]})");
  CHECK(job_state(failed) == JobState::Failed);
  CHECK(job_error(failed) == "Service broker error: the database server is full");
  CHECK(job_error(doc(R"({"state": "FAILED", "errors": []})")) == "The job failed");
}

TEST_CASE("service keys print as indented JSON and sections indent their lines") {
  auto details = doc(R"({"credentials": {"uri": "postgres://u:p@h:5432/d", "port": 5432,
                                         "hosts": ["h"], "extra": {}}})");
  CHECK(pretty_json(details) ==
        "{\n"
        "  \"credentials\": {\n"
        "    \"uri\": \"postgres://u:p@h:5432/d\",\n"
        "    \"port\": 5432,\n"
        "    \"hosts\": [\n"
        "      \"h\"\n"
        "    ],\n"
        "    \"extra\": {}\n"
        "  }\n"
        "}");
  CHECK(indent_lines("status:   create succeeded\nmessage:  done\n", "   ") ==
        "   status:   create succeeded\n   message:  done");
  CHECK(indent_lines("a\n\nb", "  ") == "  a\n\n  b");
}

TEST_CASE("the service commands are there under cf's names, aliases and flags") {
  for (const auto& [name, alias] :
       std::vector<std::pair<std::string, std::string>>{{"create-service", "cs"},
                                                        {"delete-service", "ds"},
                                                        {"create-service-key", "csk"},
                                                        {"service-keys", "sk"},
                                                        {"delete-service-key", "dsk"},
                                                        {"bind-service", "bs"},
                                                        {"unbind-service", "us"}}) {
    const Command* c = command(name);
    REQUIRE(c != nullptr);
    CHECK(c->spec.aliases == std::vector<std::string>{alias});
  }
  REQUIRE(command("update-service") != nullptr);
  REQUIRE(command("service-key") != nullptr);
  SECTION("when create-service gets every flag, each lands where the command reads it") {
    Parsed p;
    REQUIRE_FALSE(parse_args(
        command("create-service")->spec,
        {"postgresql", "small", "db", "-b", "cupola-pg", "-c", "{}", "-t", "a,b", "-w"}, p));
    CHECK(p.args == std::vector<std::string>{"postgresql", "small", "db"});
    CHECK(p.value("b") == "cupola-pg");
    CHECK(p.value("c") == "{}");
    CHECK(p.value("t") == "a,b");
    CHECK(p.has("wait"));
  }
  SECTION("when create-service lacks its arguments, the words are cf's") {
    Parsed p;
    CHECK(parse_args(command("create-service")->spec, {}, p) ==
          "Incorrect Usage: the required arguments `SERVICE_OFFERING`, `SERVICE_PLAN` and "
          "`SERVICE_INSTANCE` were not provided");
  }
  SECTION("every asynchronous command takes --wait") {
    for (const char* name : {"create-service", "update-service", "delete-service", "bind-service",
                             "unbind-service", "create-service-key", "delete-service-key"}) {
      Parsed p;
      std::vector<std::string> argv = {"a", "b", "c", "--wait"};
      argv.erase(argv.begin() + static_cast<long>(command(name)->spec.required_args.size()),
                 argv.end() - 1);
      CHECK_FALSE(parse_args(command(name)->spec, argv, p));
      CHECK(p.has("wait"));
    }
  }
}
