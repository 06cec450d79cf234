// The v2 API the cf CLI's v2-based service commands use, walked request by request as the CLI
// sends them (create-service, services, service, bind-service, unbind-service, delete-service,
// create-user-provided-service, update-user-provided-service, rename-service and the service key
// commands), on a real Postgres against a broker the test serves: the same rows and broker
// operations as v3, the roles' 404s and 403s, and v2's shapes and error codes.
#include <chrono>
#include <functional>
#include <thread>

#include "test/cloud_controller/api/cc_fixture.h"
#include "test/cloud_controller/api/osb_test_broker.h"
#include "test/cloud_controller/api/service_world.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;
using Mode = OsbTestBroker::Mode;

namespace {

std::string text(const json::Value& v) { return v.IsString() ? v.GetString() : ""; }

// The v2 error's error_code (and code), as the cf CLI switches on them.
std::string error_code(const http::Response& res) { return text(body_of(res)["error_code"]); }
int code_of(const http::Response& res) { return body_of(res)["code"].GetInt(); }

std::string create_body(const ServiceWorld& w, const std::string& name, const std::string& plan,
                        const std::string& extra = "") {
  return R"({"name": ")" + name + R"(", "service_plan_guid": ")" + plan + R"(", "space_guid": ")" +
         w.space + "\"" + (extra.empty() ? "" : ", " + extra) + "}";
}

// cf create-service's POST, answered at once: the instance's guid.
std::string created(CcFixture& cc, const ServiceWorld& w, const std::string& name) {
  auto res = cc.post("/v2/service_instances?accepts_incomplete=true", "dev",
                     create_body(w, name, w.small));
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  return text(body_of(res)["metadata"]["guid"]);
}

std::string bind_body(const std::string& instance, const std::string& app) {
  return R"({"service_instance_guid": ")" + instance + R"(", "app_guid": ")" + app +
         R"(", "parameters": null})";
}

// GETs `path` until `done` holds for its body (bounded): the last body.
json::Document polled(CcFixture& cc, const std::string& path,
                      const std::function<bool(const json::Document&)>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (;;) {
    auto res = cc.get(path, "dev");
    REQUIRE(res.result() == StatusCode::ok);
    auto doc = body_of(res);
    if (done(doc)) return doc;
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// The space's instance of that name as cf delete-service and cf service look it up.
std::string by_name(const ServiceWorld& w, const std::string& name, bool inlined = false) {
  return "/v2/spaces/" + w.space +
         "/service_instances?return_user_provided_service_instances=true" + "&q=name%3A" + name +
         (inlined ? "&inline-relations-depth=1" : "");
}

}  // namespace

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

TEST_CASE("v2 delete-service: the legacy lookups and deletes that refuse nothing", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  std::string db = created(cc, w, "db");
  REQUIRE(cc.post("/v2/service_bindings?accepts_incomplete=true", "dev", bind_body(db, w.app))
              .result() == StatusCode::created);

  // The lookup inlines bindings, keys and the plan, whose service the CLI then reads.
  auto found = body_of(cc.get(by_name(w, "db", true), "dev"));
  REQUIRE(found["resources"].Size() == 1);
  const auto& entity = found["resources"][0]["entity"];
  REQUIRE(entity["service_bindings"].Size() == 1);
  CHECK(text(entity["service_bindings"][0]["entity"]["app_guid"]) == w.app);
  CHECK(entity["service_keys"].Size() == 0);
  CHECK(text(entity["service_plan"]["metadata"]["guid"]) == w.small);
  std::string service = text(entity["service_plan"]["entity"]["service_guid"]);
  CHECK(text(body_of(cc.get("/v2/services/" + service, "dev"))["entity"]["label"]) == "postgresql");
  CHECK(body_of(cc.get(by_name(w, "nothing", true), "dev"))["resources"].Size() == 0);

  // The delete: 202 with the instance (no job URL), then gone; its binding went first.
  auto res = cc.del("/v2/service_instances/" + db + "?accepts_incomplete=true&async=true", "dev");
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::accepted);
  auto deleting = body_of(res);
  CHECK(text(deleting["metadata"]["url"]).find("/jobs/") == std::string::npos);
  CHECK(text(deleting["entity"]["last_operation"]["type"]) == "delete");
  CHECK(text(deleting["entity"]["last_operation"]["state"]) == "in progress");
  polled(cc, by_name(w, "db", true),
         [](const json::Document& d) { return d["resources"].Size() == 0; });
  CHECK(broker.calls("DELETE", "/v2/service_instances/" + db + "/service_bindings/").size() == 1);
  CHECK_FALSE(broker.has_instance(db));
  CHECK(cc.get("/v2/service_instances/" + db, "dev").result() == StatusCode::not_found);

  // Without async the answer waits for a broker that deletes at once: 204.
  std::string other = created(cc, w, "other");
  CHECK(cc.del("/v2/service_instances/" + other + "?accepts_incomplete=true", "dev").result() ==
        StatusCode::no_content);
  CHECK(cc.get("/v3/service_instances/" + other, "dev").result() == StatusCode::not_found);

  // A user-provided instance goes at once, through the same path.
  auto ups = cc.post("/v2/user_provided_service_instances", "dev",
                     R"({"name": "ups", "credentials": null, "space_guid": ")" + w.space + "\"}");
  REQUIRE(ups.result() == StatusCode::created);
  std::string ups_guid = text(body_of(ups)["metadata"]["guid"]);
  CHECK(cc.del("/v2/service_instances/" + ups_guid + "?accepts_incomplete=true&async=true", "dev")
            .result() == StatusCode::no_content);
  CHECK(body_of(cc.get(by_name(w, "ups"), "dev"))["resources"].Size() == 0);
}

TEST_CASE("v2 user-provided services: create and update and rename", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);

  // cf cups ups -p '{"uri": "x"}' (the CLI sends "" for the URLs it was not given).
  auto res = cc.post("/v2/user_provided_service_instances?async=true", "dev",
                     R"({"name": "ups", "credentials": {"uri": "x"}, "space_guid": ")" + w.space +
                         R"(", "syslog_drain_url": "", "route_service_url": "", "tags": ["a"]})");
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  auto made = body_of(res);
  std::string guid = text(made["metadata"]["guid"]);
  CHECK(text(made["metadata"]["url"]) == "/v2/user_provided_service_instances/" + guid);
  CHECK(text(made["entity"]["type"]) == "user_provided_service_instance");
  CHECK(text(made["entity"]["credentials"]["uri"]) == "x");
  CHECK(made["entity"]["syslog_drain_url"].IsNull());
  CHECK(made["entity"]["route_service_url"].IsNull());
  auto again = cc.post("/v2/user_provided_service_instances", "dev",
                       R"({"name": "ups", "space_guid": ")" + w.space + "\"}");
  CHECK(error_code(again) == "CF-ServiceInstanceNameTaken");
  auto insecure = cc.post(
      "/v2/user_provided_service_instances", "dev",
      R"({"name": "rs", "route_service_url": "http://x", "space_guid": ")" + w.space + "\"}");
  CHECK(insecure.result() == StatusCode::bad_request);
  CHECK(code_of(insecure) == 60019);

  // cf uups ups -p '{"uri": "y"}' -l syslog://logs: only what is given changes.
  auto updated = cc.call(http::Verb::put, "/v2/user_provided_service_instances/" + guid, "dev",
                         R"({"credentials": {"uri": "y"}, "syslog_drain_url": "syslog://logs"})");
  INFO(updated.body());
  REQUIRE(updated.result() == StatusCode::created);
  auto changed = body_of(updated);
  const auto& entity = changed["entity"];
  CHECK(text(entity["credentials"]["uri"]) == "y");
  CHECK(text(entity["syslog_drain_url"]) == "syslog://logs");
  CHECK(text(entity["tags"][0]) == "a");
  CHECK(text(body_of(cc.get("/v3/service_instances/" + guid + "/credentials", "dev"))["uri"]) ==
        "y");
  CHECK(text(body_of(cc.get("/v2/user_provided_service_instances/" + guid,
                            "aud"))["entity"]["credentials"]["redacted_message"]) ==
        "[PRIVATE DATA HIDDEN]");

  // cf rename-service, of both kinds; a taken name is refused with the code the CLI matches.
  REQUIRE(cc.call(http::Verb::put, "/v2/user_provided_service_instances/" + guid + "?async=true",
                  "dev", R"({"name": "ups2"})")
              .result() == StatusCode::created);
  std::string db = created(cc, w, "db");
  auto taken = cc.call(http::Verb::put, "/v2/service_instances/" + db + "?accepts_incomplete=true",
                       "dev", R"({"name": "ups2"})");
  CHECK(taken.result() == StatusCode::bad_request);
  CHECK(code_of(taken) == 60002);
  auto renamed =
      cc.call(http::Verb::put, "/v2/service_instances/" + db + "?accepts_incomplete=true", "dev",
              R"({"name": "db2"})");
  INFO(renamed.body());
  REQUIRE(renamed.result() == StatusCode::created);
  CHECK(text(body_of(renamed)["entity"]["name"]) == "db2");
  CHECK(broker.calls("PATCH", "/v2/service_instances/").empty());
  auto names = names_in(cc.get("/v3/service_instances?space_guids=" + w.space, "dev"));
  CHECK_THAT(names, Catch::Matchers::UnorderedEquals(std::vector<std::string>{"ups2", "db2"}));
}

TEST_CASE("v2 service keys: create and list and read and delete", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  std::string db = created(cc, w, "db");

  // cf create-service-key db k1: made at once, with the broker's credentials.
  auto res = cc.post("/v2/service_keys", "dev",
                     R"({"service_instance_guid": ")" + db + R"(", "name": "k1"})");
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  auto key = body_of(res);
  std::string key_guid = text(key["metadata"]["guid"]);
  CHECK(text(key["entity"]["name"]) == "k1");
  CHECK(text(key["entity"]["credentials"]["password"]) == "s3cret");
  auto again = cc.post("/v2/service_keys", "dev",
                       R"({"service_instance_guid": ")" + db + R"(", "name": "k1"})");
  CHECK(again.result() == StatusCode::bad_request);
  CHECK(error_code(again) == "CF-ServiceKeyNameTaken");
  CHECK(code_of(again) == 360001);

  // cf service-keys db, cf service-key db k1.
  auto keys = body_of(cc.get("/v2/service_instances/" + db + "/service_keys", "dev"));
  REQUIRE(keys["resources"].Size() == 1);
  auto one = body_of(cc.get("/v2/service_instances/" + db + "/service_keys?q=name%3Ak1", "dev"));
  REQUIRE(one["resources"].Size() == 1);
  CHECK(text(one["resources"][0]["entity"]["credentials"]["uri"]) ==
        "postgres://u:s3cret@127.0.0.1:5432/db");
  CHECK(body_of(
            cc.get("/v2/service_instances/" + db + "/service_keys?q=name%3Ak2", "dev"))["resources"]
            .Size() == 0);
  auto seen = body_of(cc.get("/v2/service_keys?q=name%3Ak1", "aud"));
  REQUIRE(seen["resources"].Size() == 1);
  CHECK(text(seen["resources"][0]["entity"]["credentials"]["redacted_message"]) ==
        "[PRIVATE DATA HIDDEN]");
  // The same key through v3.
  CHECK(body_of(cc.get("/v3/service_credential_bindings?type=key&service_instance_guids=" + db,
                       "dev"))["resources"]
            .Size() == 1);
  // A user-provided instance has no keys.
  auto ups = cc.post("/v2/user_provided_service_instances", "dev",
                     R"({"name": "ups", "space_guid": ")" + w.space + "\"}");
  auto refused = cc.post("/v2/service_keys", "dev",
                         R"({"service_instance_guid": ")" + text(body_of(ups)["metadata"]["guid"]) +
                             R"(", "name": "k"})");
  CHECK(code_of(refused) == 360004);

  // cf delete-service-key db k1 -f.
  CHECK(cc.del("/v2/service_keys/" + key_guid + "?async=true", "dev").result() ==
        StatusCode::no_content);
  CHECK(
      body_of(cc.get("/v2/service_instances/" + db + "/service_keys", "dev"))["resources"].Size() ==
      0);
  CHECK(cc.get("/v2/service_keys/" + key_guid, "dev").result() == StatusCode::not_found);
}

TEST_CASE("v2 roles: strangers get 404s and auditors change nothing", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  std::string db = created(cc, w, "db");
  auto bound = cc.post("/v2/service_bindings", "dev", bind_body(db, w.app));
  REQUIRE(bound.result() == StatusCode::created);
  std::string binding = text(body_of(bound)["metadata"]["guid"]);

  // Someone with no role in the space sees none of it.
  for (const auto& [path, name] : std::vector<std::pair<std::string, std::string>>{
           {"/v2/service_instances/" + db, "CF-ServiceInstanceNotFound"},
           {"/v2/spaces/" + w.space + "/summary", "CF-SpaceNotFound"},
           {"/v2/spaces/" + w.space + "/services", "CF-SpaceNotFound"},
           {"/v2/spaces/" + w.space + "/service_instances", "CF-SpaceNotFound"},
           {"/v2/apps/" + w.app, "CF-AppNotFound"},
           {"/v2/service_bindings/" + binding, "CF-ServiceBindingNotFound"},
           {"/v2/service_instances/" + db + "/service_bindings", "CF-ServiceInstanceNotFound"}}) {
    INFO(path);
    auto res = cc.get(path, "stranger");
    CHECK(res.result() == StatusCode::not_found);
    CHECK(error_code(res) == name);
  }
  CHECK(body_of(cc.get("/v2/service_instances", "stranger"))["total_results"].GetInt() == 0);
  CHECK(body_of(cc.get("/v2/apps?q=name%3Aweb", "stranger"))["total_results"].GetInt() == 0);
  CHECK(cc.del("/v2/service_instances/" + db + "?async=true", "stranger").result() ==
        StatusCode::not_found);
  CHECK(cc.post("/v2/service_instances", "stranger", create_body(w, "x", w.small)).result() ==
        StatusCode::not_found);

  // An auditor sees the space and may change nothing in it.
  CHECK(cc.get("/v2/service_instances/" + db, "aud").result() == StatusCode::ok);
  CHECK(cc.get("/v2/spaces/" + w.space + "/summary", "aud").result() == StatusCode::ok);
  for (const auto& res :
       {cc.post("/v2/service_instances?accepts_incomplete=true", "aud",
                create_body(w, "x", w.small)),
        cc.post("/v2/user_provided_service_instances", "aud",
                R"({"name": "x", "space_guid": ")" + w.space + "\"}"),
        cc.call(http::Verb::put, "/v2/service_instances/" + db, "aud", R"({"name": "y"})"),
        cc.del("/v2/service_instances/" + db + "?async=true", "aud"),
        cc.post("/v2/service_bindings", "aud", bind_body(db, w.app)),
        cc.del("/v2/service_bindings/" + binding, "aud"),
        cc.post("/v2/service_keys", "aud",
                R"({"service_instance_guid": ")" + db + R"(", "name": "k"})")}) {
    INFO(res.body());
    CHECK(res.result() == StatusCode::forbidden);
    CHECK(error_code(res) == "CF-NotAuthorized");
    CHECK(code_of(res) == 10003);
  }
  CHECK(names_in(cc.get("/v3/service_instances", "dev")) == std::vector<std::string>{"db"});

  // A token the CLI must refresh is code 1000; a query it can't filter by is refused.
  auto stale = cc.get("/v2/service_instances", "nobody");
  CHECK(stale.result() == StatusCode::unauthorized);
  CHECK(code_of(stale) == 1000);
  CHECK(error_code(stale) == "CF-InvalidAuthToken");
  auto odd = cc.get("/v2/service_instances?q=colour%3Ablue", "dev");
  CHECK(odd.result() == StatusCode::bad_request);
  CHECK(error_code(odd) == "CF-BadQueryParameter");
}

TEST_CASE("v2 lists: pages by next_url and filters with IN", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  for (const char* name : {"a", "b", "c"}) {
    REQUIRE(cc.post("/v2/user_provided_service_instances", "dev",
                    R"({"name": ")" + std::string(name) + R"(", "space_guid": ")" + w.space + "\"}")
                .result() == StatusCode::created);
  }
  auto first = body_of(cc.get("/v2/user_provided_service_instances?results-per-page=2", "dev"));
  CHECK(first["total_results"].GetInt() == 3);
  CHECK(first["total_pages"].GetInt() == 2);
  CHECK(first["prev_url"].IsNull());
  CHECK(first["resources"].Size() == 2);
  std::string next = text(first["next_url"]);
  CHECK(next == "/v2/user_provided_service_instances?page=2&results-per-page=2");
  auto second = body_of(cc.get(next, "dev"));
  CHECK(second["resources"].Size() == 1);
  CHECK(second["next_url"].IsNull());
  CHECK_FALSE(text(second["prev_url"]).empty());

  // Filters travel with the pages; IN matches any of its values; repeated q's narrow.
  auto in = body_of(
      cc.get("/v2/user_provided_service_instances?q=name+IN+a%2Cc&results-per-page=1", "dev"));
  CHECK(in["total_results"].GetInt() == 2);
  CHECK(text(in["next_url"]) ==
        "/v2/user_provided_service_instances?q=name+IN+a%2Cc&page=2&results-per-page=1");
  auto narrowed = body_of(cc.get(
      "/v2/user_provided_service_instances?q=name+IN+a%2Cc&q=name%3Ac&q=space_guid%3A" + w.space,
      "dev"));
  REQUIRE(narrowed["resources"].Size() == 1);
  CHECK(text(narrowed["resources"][0]["entity"]["name"]) == "c");
  CHECK(body_of(cc.get("/v2/service_instances", "dev"))["total_results"].GetInt() == 0);
}
