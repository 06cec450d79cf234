// The v2 API the cf CLI's v2-based service commands use, walked request by request as the CLI
// sends them: create-service, services, service, bind-service and unbind-service, on a real
// Postgres against a broker the test serves: the same rows and broker operations as v3, and
// v2's shapes and error codes. (v2_commands_test.cpp has the other commands.)
#include "test/cloud_controller/api/v2_support.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;
using Mode = OsbTestBroker::Mode;

TEST_CASE("v2 create-service: the lookups and a create the broker finishes at once", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);

  auto info = body_of(cc.get("/v2/info", ""));
  CHECK(text(info["api_version"]) == "2.172.0");
  CHECK_FALSE(text(info["authorization_endpoint"]).empty());

  // The offering by label in the space: its broker, and "extra" as JSON text.
  auto services =
      body_of(cc.get("/v2/spaces/" + w.space + "/services?q=label%3Apostgresql", "dev"));
  REQUIRE(services["resources"].Size() == 1);
  const auto& service = services["resources"][0];
  CHECK(text(service["metadata"]["guid"]) == w.service);
  CHECK(text(service["metadata"]["url"]) == "/v2/services/" + w.service);
  CHECK(text(service["entity"]["label"]) == "postgresql");
  CHECK(text(service["entity"]["service_broker_name"]) == "osb");
  REQUIRE(service["entity"]["extra"].IsString());
  auto extra = json::parse(text(service["entity"]["extra"]));
  REQUIRE(extra.ok());
  CHECK((*extra)["shareable"].IsBool());
  CHECK(body_of(cc.get("/v2/spaces/" + w.space + "/services?q=label%3Amysql", "dev"))["resources"]
            .Size() == 0);

  // Its plans: the developer sees the public ones only.
  auto plans = body_of(cc.get("/v2/service_plans?q=service_guid%3A" + w.service, "dev"));
  REQUIRE(plans["total_results"].GetInt() == 2);
  std::vector<std::string> names;
  for (const auto& p : plans["resources"].GetArray()) {
    names.push_back(text(p["entity"]["name"]));
    CHECK(p["entity"]["public"].GetBool());
    CHECK(p["entity"]["free"].GetBool());
    CHECK(text(p["entity"]["service_guid"]) == w.service);
  }
  CHECK_THAT(names, Catch::Matchers::UnorderedEquals(std::vector<std::string>{"small", "nobind"}));
  CHECK(body_of(cc.get("/v2/service_plans?q=service_guid%3A" + w.service, "admin"))["total_results"]
            .GetInt() == 3);

  // cf create-service postgresql small db -c '{"size": 3}' -t fast
  auto res =
      cc.post("/v2/service_instances?accepts_incomplete=true", "dev",
              create_body(w, "db", w.small, R"("parameters": {"size": 3}, "tags": ["fast"])"));
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  auto made = body_of(res);
  std::string guid = text(made["metadata"]["guid"]);
  CHECK(text(made["metadata"]["url"]) == "/v2/service_instances/" + guid);
  CHECK_FALSE(text(made["metadata"]["created_at"]).empty());
  const auto& entity = made["entity"];
  CHECK(text(entity["name"]) == "db");
  CHECK(text(entity["type"]) == "managed_service_instance");
  CHECK(text(entity["service_plan_guid"]) == w.small);
  CHECK(text(entity["service_guid"]) == w.service);
  CHECK(text(entity["space_guid"]) == w.space);
  CHECK(text(entity["last_operation"]["type"]) == "create");
  CHECK(text(entity["last_operation"]["state"]) == "succeeded");
  CHECK(text(entity["tags"][0]) == "fast");
  CHECK(text(entity["dashboard_url"]) == "https://dash.test/" + guid);
  auto puts = broker.calls("PUT", "/v2/service_instances/" + guid);
  REQUIRE(puts.size() == 1);
  auto sent = json::parse(puts[0].body);
  REQUIRE(sent.ok());
  CHECK((*sent)["parameters"]["size"].GetInt() == 3);

  // The same row through v3.
  auto v3 = body_of(cc.get("/v3/service_instances/" + guid, "dev"));
  CHECK(text(v3["name"]) == "db");
  CHECK(text(v3["last_operation"]["state"]) == "succeeded");

  // A second create by that name: the CLI says it exists.
  auto again = cc.post("/v2/service_instances?accepts_incomplete=true", "dev",
                       create_body(w, "db", w.small));
  CHECK(again.result() == StatusCode::bad_request);
  CHECK(error_code(again) == "CF-ServiceInstanceNameTaken");
  CHECK(code_of(again) == 60002);
  // An admin-only plan is not the developer's; an unknown space is not found.
  auto hidden = cc.post("/v2/service_instances?accepts_incomplete=true", "dev",
                        create_body(w, "big", w.large));
  CHECK(hidden.result() == StatusCode::unprocessable_entity);
  CHECK_THAT(text(body_of(hidden)["description"]), Catch::Contains("Invalid service plan"));
  auto nowhere = cc.post(
      "/v2/service_instances", "dev",
      R"({"name": "x", "service_plan_guid": ")" + w.small + R"(", "space_guid": "no-such-space"})");
  CHECK(nowhere.result() == StatusCode::not_found);
  CHECK(error_code(nowhere) == "CF-SpaceNotFound");

  // cf service db: the instance, feature flags, shares, its plan and service.
  auto found = body_of(cc.get(by_name(w, "db"), "dev"));
  REQUIRE(found["resources"].Size() == 1);
  CHECK(text(found["resources"][0]["metadata"]["guid"]) == guid);
  auto flags = body_of(cc.get("/v2/config/feature_flags", "dev"));
  REQUIRE(flags.IsArray());
  bool sharing = false;
  for (const auto& f : flags.GetArray()) sharing |= text(f["name"]) == "service_instance_sharing";
  CHECK(sharing);
  auto shared = body_of(cc.get("/v2/service_instances/" + guid + "/shared_to", "dev"));
  CHECK(shared["resources"].Size() == 0);
  CHECK(text(body_of(cc.get("/v2/service_plans/" + w.small, "dev"))["entity"]["name"]) == "small");
  CHECK(text(body_of(cc.get("/v2/services/" + w.service, "dev"))["entity"]["label"]) ==
        "postgresql");
  CHECK(body_of(cc.get("/v2/service_instances/" + guid + "/service_bindings", "dev"))["resources"]
            .Size() == 0);
}

TEST_CASE("v2 create-service: an asynchronous broker is 202 and then polled", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  // A broker that works on for a second or two (polled at its Retry-After).
  broker.set_instance_mode(Mode::async);
  broker.set_retry_after(1);
  auto res = cc.post("/v2/service_instances?accepts_incomplete=true", "dev",
                     create_body(w, "slow", w.small));
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::accepted);
  auto made = body_of(res);
  CHECK(text(made["entity"]["last_operation"]["type"]) == "create");
  CHECK(text(made["entity"]["last_operation"]["state"]) == "in progress");
  std::string guid = text(made["metadata"]["guid"]);
  auto done = polled(cc, "/v2/service_instances/" + guid, [](const json::Document& d) {
    return text(d["entity"]["last_operation"]["state"]) != "in progress";
  });
  CHECK(text(done["entity"]["last_operation"]["state"]) == "succeeded");
  // cf services shows the operation too.
  auto summary = body_of(cc.get("/v2/spaces/" + w.space + "/summary", "dev"));
  REQUIRE(summary["services"].Size() == 1);
  CHECK(text(summary["services"][0]["last_operation"]["state"]) == "succeeded");

  // A broker that fails at once: the reason, and the failed instance stays listed.
  broker.set_instance_mode(Mode::server_error);
  auto failed = cc.post("/v2/service_instances?accepts_incomplete=true", "dev",
                        create_body(w, "boom", w.small));
  CHECK(failed.result() == StatusCode::bad_gateway);
  CHECK(error_code(failed) == "CF-ServiceBrokerBadResponse");
  CHECK_THAT(text(body_of(failed)["description"]), Catch::Contains("the disk is full"));
  auto listed = body_of(cc.get(by_name(w, "boom"), "dev"));
  REQUIRE(listed["resources"].Size() == 1);
  CHECK(text(listed["resources"][0]["entity"]["last_operation"]["state"]) == "failed");
}

TEST_CASE("v2 services and bind-service and unbind-service", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  std::string db = created(cc, w, "db");
  auto ups = cc.post("/v2/user_provided_service_instances", "dev",
                     R"({"name": "ups", "credentials": {"pw": "x"}, "space_guid": ")" + w.space +
                         R"(", "syslog_drain_url": "", "route_service_url": ""})");
  REQUIRE(ups.result() == StatusCode::created);
  std::string ups_guid = text(body_of(ups)["metadata"]["guid"]);

  // cf bind-service web db: the app by name in the space, the instance by name, the binding.
  auto apps = body_of(cc.get("/v2/apps?q=name%3Aweb&q=space_guid%3A" + w.space, "dev"));
  REQUIRE(apps["resources"].Size() == 1);
  const auto& app = apps["resources"][0];
  CHECK(text(app["metadata"]["guid"]) == w.app);
  CHECK(text(app["entity"]["space_guid"]) == w.space);
  CHECK(text(app["entity"]["state"]) == "STOPPED");
  CHECK(app["entity"]["instances"].IsInt());
  CHECK(app["entity"]["package_updated_at"].IsNull());
  CHECK(body_of(cc.get("/v2/apps?q=name%3Aother&q=space_guid%3A" + w.space, "dev"))["resources"]
            .Size() == 0);
  auto instances = body_of(cc.get(by_name(w, "db"), "dev"));
  REQUIRE(instances["resources"].Size() == 1);
  CHECK(text(instances["resources"][0]["entity"]["type"]) == "managed_service_instance");
  auto bound = cc.post("/v2/service_bindings?accepts_incomplete=true", "dev", bind_body(db, w.app));
  INFO(bound.body());
  REQUIRE(bound.result() == StatusCode::created);
  auto binding = body_of(bound);
  std::string binding_guid = text(binding["metadata"]["guid"]);
  CHECK(text(binding["entity"]["app_guid"]) == w.app);
  CHECK(text(binding["entity"]["service_instance_guid"]) == db);
  CHECK(text(binding["entity"]["last_operation"]["state"]) == "succeeded");
  CHECK(text(binding["entity"]["credentials"]["password"]) == "s3cret");
  auto twice = cc.post("/v2/service_bindings?accepts_incomplete=true", "dev", bind_body(db, w.app));
  CHECK(twice.result() == StatusCode::bad_request);
  CHECK(error_code(twice) == "CF-ServiceBindingAppServiceTaken");
  REQUIRE(cc.post("/v2/service_bindings?accepts_incomplete=true", "dev", bind_body(ups_guid, w.app))
              .result() == StatusCode::created);
  auto env = body_of(cc.get("/v3/apps/" + w.app + "/env", "dev"));
  CHECK(text(env["system_env_json"]["VCAP_SERVICES"]["postgresql"][0]["name"]) == "db");

  // cf services: the summary names bound apps; /v2/services names brokers.
  auto summary = body_of(cc.get("/v2/spaces/" + w.space + "/summary", "dev"));
  REQUIRE(summary["apps"].Size() == 1);
  std::vector<std::string> bound_names;
  for (const auto& n : summary["apps"][0]["service_names"].GetArray()) {
    bound_names.push_back(n.GetString());
  }
  CHECK_THAT(bound_names, Catch::Matchers::UnorderedEquals(std::vector<std::string>{"db", "ups"}));
  REQUIRE(summary["services"].Size() == 2);
  for (const auto& s : summary["services"].GetArray()) {
    if (text(s["name"]) == "db") {
      CHECK(text(s["service_plan"]["guid"]) == w.small);
      CHECK(text(s["service_plan"]["name"]) == "small");
      CHECK(text(s["service_plan"]["service"]["guid"]) == w.service);
      CHECK(text(s["service_plan"]["service"]["label"]) == "postgresql");
      CHECK(text(s["last_operation"]["type"]) == "create");
      CHECK(s["bound_app_count"].GetInt() == 1);
    } else {
      CHECK(text(s["name"]) == "ups");
      CHECK(text(s["type"]) == "user_provided_service_instance");
      CHECK_FALSE(s.HasMember("service_plan"));
    }
  }
  auto all = body_of(cc.get("/v2/services", "dev"));
  REQUIRE(all["resources"].Size() == 1);
  CHECK(text(all["resources"][0]["entity"]["service_broker_name"]) == "osb");

  // cf service db: its bindings and their apps; an auditor doesn't see the credentials.
  auto of_db = body_of(cc.get("/v2/service_instances/" + db + "/service_bindings", "aud"));
  REQUIRE(of_db["resources"].Size() == 1);
  CHECK(text(of_db["resources"][0]["entity"]["credentials"]["redacted_message"]) ==
        "[PRIVATE DATA HIDDEN]");
  CHECK(text(body_of(cc.get("/v2/apps/" + w.app, "aud"))["entity"]["name"]) == "web");
  CHECK(body_of(cc.get("/v2/user_provided_service_instances/" + ups_guid + "/service_bindings",
                       "dev"))["resources"]
            .Size() == 1);

  // cf unbind-service web db.
  auto lookup = "/v2/service_bindings?q=app_guid%3A" + w.app + "&q=service_instance_guid%3A" + db;
  auto found = body_of(cc.get(lookup, "dev"));
  REQUIRE(found["resources"].Size() == 1);
  CHECK(text(found["resources"][0]["metadata"]["guid"]) == binding_guid);
  auto gone = cc.del("/v2/service_bindings/" + binding_guid + "?accepts_incomplete=true", "dev");
  CHECK(gone.result() == StatusCode::no_content);
  CHECK(body_of(cc.get(lookup, "dev"))["resources"].Size() == 0);
  CHECK(broker.calls("DELETE", "/v2/service_instances/" + db + "/service_bindings/" + binding_guid)
            .size() == 1);
  env = body_of(cc.get("/v3/apps/" + w.app + "/env", "dev"));
  CHECK_FALSE(env["system_env_json"]["VCAP_SERVICES"].HasMember("postgresql"));

  // A broker that binds asynchronously: 202, then the binding is polled.
  broker.set_binding_mode(Mode::async);
  broker.set_retry_after(1);
  auto later = cc.post("/v2/service_bindings?accepts_incomplete=true", "dev", bind_body(db, w.app));
  INFO(later.body());
  REQUIRE(later.result() == StatusCode::accepted);
  auto pending = body_of(later);
  CHECK(text(pending["entity"]["last_operation"]["state"]) == "in progress");
  auto done = polled(cc, "/v2/service_bindings/" + text(pending["metadata"]["guid"]),
                     [](const json::Document& d) {
                       return text(d["entity"]["last_operation"]["state"]) != "in progress";
                     });
  CHECK(text(done["entity"]["last_operation"]["state"]) == "succeeded");
  CHECK(text(done["entity"]["credentials"]["username"]) == "u");
}
