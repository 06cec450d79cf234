// Managed service instances, bindings and keys on a real Postgres against a broker the test
// serves over HTTP: provision, bind and delete synchronously and asynchronously (polling
// last_operation at the broker's Retry-After), what the app's VCAP_SERVICES shows, quotas,
// plan access, and a broker that fails, answers too late or answers nonsense: a failed last
// operation, a FAILED job with the reason, and orphan mitigation.
#include <chrono>
#include <thread>

#include "cloud_controller/src/services/operations.h"
#include "test/cloud_controller/api/cc_fixture.h"
#include "test/cloud_controller/api/osb_test_broker.h"
#include "test/cloud_controller/api/service_world.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;
using Mode = OsbTestBroker::Mode;

namespace {

std::string text(const json::Value& v) { return v.IsString() ? v.GetString() : ""; }

std::string instance_body(const ServiceWorld& w, const std::string& name, const std::string& plan,
                          const std::string& extra = "") {
  return R"({"type": "managed", "name": ")" + name +
         R"(", "relationships": {"space": {"data": {"guid": ")" + w.space +
         R"("}}, "service_plan": {"data": {"guid": ")" + plan + R"("}}})" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

std::string job_path(const http::Response& res) {
  auto it = res.find(http::bhttp::field::location);
  REQUIRE(it != res.end());
  std::string location(it->value());
  return location.substr(location.find("/v3/jobs/"));
}

// Polls the job until it is no longer PROCESSING (bounded): the finished job.
json::Document finished_job(CcFixture& cc, const std::string& path) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (;;) {
    auto job = body_of(cc.get(path, "admin"));
    if (text(job["state"]) != "PROCESSING" && text(job["state"]) != "POLLING") return job;
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Creates an instance and waits for its job: the instance's guid.
std::string provisioned(CcFixture& cc, const ServiceWorld& w, const std::string& name,
                        const std::string& plan, const std::string& state = "COMPLETE") {
  auto res = cc.post("/v3/service_instances", "dev", instance_body(w, name, plan));
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::accepted);
  auto job = finished_job(cc, job_path(res));
  INFO(json::to_string(job));
  CHECK(text(job["state"]) == state);
  auto list = body_of(cc.get("/v3/service_instances?names=" + name, "dev"));
  REQUIRE(list["resources"].Size() == 1);
  return list["resources"][0]["guid"].GetString();
}

json::Document instance(CcFixture& cc, const std::string& guid) {
  return body_of(cc.get("/v3/service_instances/" + guid, "dev"));
}

std::string binding_body(const std::string& instance, const std::string& app,
                         const std::string& name = "") {
  std::string body = R"({"type": ")" + std::string(app.empty() ? "key" : "app") + "\"";
  if (!name.empty()) body += R"(, "name": ")" + name + "\"";
  body += R"(, "relationships": {"service_instance": {"data": {"guid": ")" + instance + "\"}}";
  if (!app.empty()) body += R"(, "app": {"data": {"guid": ")" + app + "\"}}";
  return body + "}}";
}

}  // namespace

TEST_CASE("managed services: provision, bind, keys and delete through a broker",
          "[services][managed]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);

  SECTION("a broker that answers at once") {
    auto res =
        cc.post("/v3/service_instances", "dev",
                instance_body(w, "db", w.small, R"("parameters": {"size": 3}, "tags": ["fast"])"));
    INFO(res.body());
    REQUIRE(res.result() == StatusCode::accepted);
    auto job = finished_job(cc, job_path(res));
    CHECK(text(job["state"]) == "COMPLETE");
    CHECK(text(job["operation"]) == "service_instance.create");
    std::string guid =
        body_of(cc.get("/v3/service_instances?names=db", "dev"))["resources"][0]["guid"]
            .GetString();
    auto i = instance(cc, guid);
    CHECK(text(i["type"]) == "managed");
    CHECK(text(i["last_operation"]["type"]) == "create");
    CHECK(text(i["last_operation"]["state"]) == "succeeded");
    CHECK(text(i["dashboard_url"]) == "https://dash.test/" + guid);
    CHECK(text(i["relationships"]["service_plan"]["data"]["guid"]) == w.small);
    CHECK(text(i["tags"][0]) == "fast");

    // What the broker was sent: OSB's headers, the ids, the context and the parameters.
    auto puts = broker.calls("PUT", "/v2/service_instances/" + guid);
    REQUIRE(puts.size() == 1);
    CHECK(puts[0].target == "/v2/service_instances/" + guid + "?accepts_incomplete=true");
    CHECK(puts[0].headers["X-Broker-API-Version"] == "2.17");
    CHECK_THAT(puts[0].headers["X-Broker-API-Originating-Identity"],
               Catch::StartsWith("cloudfoundry "));
    auto sent = json::parse(puts[0].body);
    REQUIRE(sent.ok());
    CHECK(text((*sent)["service_id"]) == "svc-pg");
    CHECK(text((*sent)["plan_id"]) == "plan-small");
    CHECK(text((*sent)["organization_guid"]) == w.org);
    CHECK(text((*sent)["context"]["platform"]) == "cloudfoundry");
    CHECK(text((*sent)["context"]["space_guid"]) == w.space);
    CHECK(text((*sent)["context"]["instance_name"]) == "db");
    CHECK((*sent)["parameters"]["size"].GetInt() == 3);

    // The included plan, offering and broker (cf services).
    auto listed = body_of(
        cc.get("/v3/service_instances?space_guids=" + w.space +
                   "&fields[service_plan]=guid,name&fields[service_plan.service_offering]=guid,name"
                   "&fields[service_plan.service_offering.service_broker]=guid,name",
               "dev"));
    CHECK(text(listed["included"]["service_plans"][0]["name"]) == "small");
    CHECK(text(listed["included"]["service_offerings"][0]["name"]) == "postgresql");
    CHECK(text(listed["included"]["service_brokers"][0]["name"]) == "osb");

    // A second instance by the same name is refused.
    auto again = cc.post("/v3/service_instances", "dev", instance_body(w, "db", w.small));
    CHECK(again.result() == StatusCode::unprocessable_entity);
    CHECK_THAT(again.body(), Catch::Contains("The service instance name is taken: db"));

    // Bind the app: the credentials the broker gave reach VCAP_SERVICES, sealed at rest.
    auto bound = cc.post("/v3/service_credential_bindings", "dev", binding_body(guid, w.app));
    INFO(bound.body());
    REQUIRE(bound.result() == StatusCode::accepted);
    CHECK(text(finished_job(cc, job_path(bound))["state"]) == "COMPLETE");
    auto bindings = body_of(cc.get("/v3/service_credential_bindings?app_guids=" + w.app, "dev"));
    REQUIRE(bindings["resources"].Size() == 1);
    std::string binding = bindings["resources"][0]["guid"].GetString();
    CHECK(text(bindings["resources"][0]["last_operation"]["state"]) == "succeeded");
    auto bind_calls = broker.calls("PUT", "/v2/service_instances/" + guid + "/service_bindings/");
    REQUIRE(bind_calls.size() == 1);
    auto bind_sent = json::parse(bind_calls[0].body);
    REQUIRE(bind_sent.ok());
    CHECK(text((*bind_sent)["bind_resource"]["app_guid"]) == w.app);
    auto details =
        body_of(cc.get("/v3/service_credential_bindings/" + binding + "/details", "dev"));
    CHECK(text(details["credentials"]["password"]) == "s3cret");
    CHECK(cc.get("/v3/service_credential_bindings/" + binding + "/details", "aud").result() ==
          StatusCode::not_found);
    auto env = body_of(cc.get("/v3/apps/" + w.app + "/env", "dev"));
    const auto& pg = env["system_env_json"]["VCAP_SERVICES"]["postgresql"];
    REQUIRE(pg.IsArray());
    REQUIRE(pg.Size() == 1);
    CHECK(text(pg[0]["label"]) == "postgresql");
    CHECK(text(pg[0]["plan"]) == "small");
    CHECK(text(pg[0]["name"]) == "db");
    CHECK(text(pg[0]["instance_guid"]) == guid);
    CHECK(text(pg[0]["credentials"]["uri"]) == "postgres://u:s3cret@127.0.0.1:5432/db");

    // A service key.
    auto key = cc.post("/v3/service_credential_bindings", "dev", binding_body(guid, "", "k1"));
    INFO(key.body());
    REQUIRE(key.result() == StatusCode::accepted);
    CHECK(text(finished_job(cc, job_path(key))["state"]) == "COMPLETE");
    auto keys = body_of(
        cc.get("/v3/service_credential_bindings?type=key&service_instance_guids=" + guid, "dev"));
    REQUIRE(keys["resources"].Size() == 1);
    CHECK(text(keys["resources"][0]["name"]) == "k1");
    CHECK(
        cc.post("/v3/service_credential_bindings", "dev", binding_body(guid, "", "k1")).result() ==
        StatusCode::unprocessable_entity);
    CHECK(cc.post("/v3/service_credential_bindings", "dev", binding_body(guid, "")).result() ==
          StatusCode::unprocessable_entity);

    // The broker can't go while its instance exists.
    auto kept = cc.del("/v3/service_brokers/" + w.broker, "admin");
    CHECK(kept.result() == StatusCode::unprocessable_entity);
    CHECK_THAT(kept.body(), Catch::Contains("associated service instances: db"));

    // Deleting the instance unbinds the app and the key at the broker first.
    auto gone = cc.del("/v3/service_instances/" + guid, "dev");
    REQUIRE(gone.result() == StatusCode::accepted);
    CHECK(text(finished_job(cc, job_path(gone))["state"]) == "COMPLETE");
    CHECK(cc.get("/v3/service_instances/" + guid, "dev").result() == StatusCode::not_found);
    CHECK(broker.calls("DELETE", "/v2/service_instances/" + guid + "/service_bindings/").size() ==
          2);
    auto deprovisions = broker.calls("DELETE", "/v2/service_instances/" + guid + "?");
    REQUIRE(deprovisions.size() == 1);
    CHECK_THAT(deprovisions[0].target, Catch::Contains("service_id=svc-pg&plan_id=plan-small"));
    CHECK_FALSE(broker.has_instance(guid));
    env = body_of(cc.get("/v3/apps/" + w.app + "/env", "dev"));
    CHECK(env["system_env_json"]["VCAP_SERVICES"].MemberCount() == 0);
    CHECK(cc.del("/v3/service_brokers/" + w.broker, "admin").result() == StatusCode::accepted);
  }

  SECTION("a broker that works asynchronously, polled at its Retry-After") {
    broker.set_instance_mode(Mode::async);
    broker.set_binding_mode(Mode::async);
    broker.set_retry_after(0);
    auto res = cc.post("/v3/service_instances", "dev", instance_body(w, "slow", w.small));
    REQUIRE(res.result() == StatusCode::accepted);
    auto job = finished_job(cc, job_path(res));
    CHECK(text(job["state"]) == "COMPLETE");
    std::string guid =
        body_of(cc.get("/v3/service_instances?names=slow", "dev"))["resources"][0]["guid"]
            .GetString();
    CHECK(text(instance(cc, guid)["last_operation"]["state"]) == "succeeded");
    auto polls = broker.calls("GET", "/v2/service_instances/" + guid + "/last_operation");
    CHECK(polls.size() == 3);  // in progress twice, then succeeded
    for (const auto& p : polls) {
      CHECK_THAT(p.target, Catch::Contains("operation=provision-" + guid));
      CHECK_THAT(p.target, Catch::Contains("service_id=svc-pg"));
    }

    // An async bind: the credentials are fetched once the broker is done.
    auto bound = cc.post("/v3/service_credential_bindings", "dev", binding_body(guid, w.app));
    REQUIRE(bound.result() == StatusCode::accepted);
    CHECK(text(finished_job(cc, job_path(bound))["state"]) == "COMPLETE");
    std::string binding = body_of(cc.get("/v3/service_credential_bindings?app_guids=" + w.app,
                                         "dev"))["resources"][0]["guid"]
                              .GetString();
    CHECK(
        broker.calls("GET", "/v2/service_instances/" + guid + "/service_bindings/" + binding + "?")
            .size() == 1);
    CHECK(text(body_of(cc.get("/v3/service_credential_bindings/" + binding + "/details",
                              "dev"))["credentials"]["username"]) == "u");

    // An async delete: the broker's 410 on last_operation is success.
    auto gone = cc.del("/v3/service_instances/" + guid, "dev");
    REQUIRE(gone.result() == StatusCode::accepted);
    // The broker answers at once (Retry-After 0): the instance may already be gone.
    auto deleting = cc.get("/v3/service_instances/" + guid, "dev");
    if (deleting.result() == StatusCode::ok) {
      CHECK(text(body_of(deleting)["last_operation"]["type"]) == "delete");
    } else {
      CHECK(deleting.result() == StatusCode::not_found);
    }
    CHECK(text(finished_job(cc, job_path(gone))["state"]) == "COMPLETE");
    CHECK(cc.get("/v3/service_instances/" + guid, "dev").result() == StatusCode::not_found);
  }

  SECTION("a broker that fails: the reason, a failed last operation, orphan mitigation") {
    struct Case {
      Mode mode;
      std::string name;
      std::string reason;
      bool mitigated;
    };
    for (const auto& c :
         {Case{Mode::server_error, "boom", "Service broker error: the disk is full", true},
          Case{Mode::too_slow, "late", "timed out", true},
          Case{Mode::bad_json, "garbled", "invalid response", true},
          Case{Mode::async_fail, "refused", "no capacity left in the zone", false}}) {
      INFO(c.name);
      broker.set_instance_mode(c.mode);
      std::string guid = provisioned(cc, w, c.name, w.small, "FAILED");
      auto i = instance(cc, guid);
      CHECK(text(i["last_operation"]["type"]) == "create");
      CHECK(text(i["last_operation"]["state"]) == "failed");
      CHECK_THAT(text(i["last_operation"]["description"]), Catch::Contains(c.reason));
      auto mitigation = broker.calls("DELETE", "/v2/service_instances/" + guid + "?");
      if (c.mitigated) {
        // Orphan mitigation runs after the failure is recorded: wait for it, bounded.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (mitigation.empty() && std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          mitigation = broker.calls("DELETE", "/v2/service_instances/" + guid + "?");
        }
        CHECK(mitigation.size() == 1);
        CHECK_FALSE(broker.has_instance(guid));
      } else {
        CHECK(mitigation.empty());
      }
      // A failed instance can't be bound, and can be deleted.
      CHECK(cc.post("/v3/service_credential_bindings", "dev", binding_body(guid, w.app)).result() ==
            StatusCode::unprocessable_entity);
      broker.set_instance_mode(Mode::sync);
      auto gone = cc.del("/v3/service_instances/" + guid, "dev");
      REQUIRE(gone.result() == StatusCode::accepted);
      CHECK(text(finished_job(cc, job_path(gone))["state"]) == "COMPLETE");
      CHECK(cc.get("/v3/service_instances/" + guid, "dev").result() == StatusCode::not_found);
    }

    // A bind the broker fails: the binding stays failed and is unbound at the broker.
    broker.set_instance_mode(Mode::sync);
    std::string guid = provisioned(cc, w, "ok", w.small);
    broker.set_binding_mode(Mode::server_error);
    auto bound = cc.post("/v3/service_credential_bindings", "dev", binding_body(guid, w.app));
    REQUIRE(bound.result() == StatusCode::accepted);
    auto job = finished_job(cc, job_path(bound));
    CHECK(text(job["state"]) == "FAILED");
    CHECK_THAT(
        text(job["errors"][0]["detail"]),
        Catch::Contains("bind could not be completed: Service broker error: the disk is full"));
    auto b = body_of(cc.get("/v3/service_credential_bindings?app_guids=" + w.app, "dev"));
    REQUIRE(b["resources"].Size() == 1);
    CHECK(text(b["resources"][0]["last_operation"]["state"]) == "failed");
    std::string binding = b["resources"][0]["guid"].GetString();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (broker.calls("DELETE", "/v2/service_instances/" + guid + "/service_bindings/").empty() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(broker.calls("DELETE", "/v2/service_instances/" + guid + "/service_bindings/" + binding)
              .size() == 1);
    auto env = body_of(cc.get("/v3/apps/" + w.app + "/env", "dev"));
    CHECK(env["system_env_json"]["VCAP_SERVICES"].MemberCount() == 0);
    CHECK(cc.get("/v3/service_credential_bindings/" + binding + "/details", "dev").result() ==
          StatusCode::not_found);
  }

  SECTION("plan access, bindability, quotas and roles") {
    // An admin-only plan is not for developers.
    auto hidden = cc.post("/v3/service_instances", "dev", instance_body(w, "big", w.large));
    CHECK(hidden.result() == StatusCode::unprocessable_entity);
    CHECK_THAT(hidden.body(), Catch::Contains("Invalid service plan"));
    CHECK(cc.post("/v3/service_instances", "aud", instance_body(w, "x", w.small)).result() ==
          StatusCode::forbidden);
    CHECK(cc.post("/v3/service_instances", "stranger", instance_body(w, "x", w.small)).result() ==
          StatusCode::unprocessable_entity);
    // A plan that is not bindable.
    std::string nobind = provisioned(cc, w, "nb", w.nobind);
    auto refused = cc.post("/v3/service_credential_bindings", "dev", binding_body(nobind, w.app));
    CHECK(refused.result() == StatusCode::unprocessable_entity);
    CHECK_THAT(refused.body(), Catch::Contains("does not allow bindings"));
    CHECK(cc.get("/v3/service_instances/" + nobind, "stranger").result() == StatusCode::not_found);
    CHECK(cc.del("/v3/service_instances/" + nobind, "aud").result() == StatusCode::forbidden);

    // An org quota of 2 service instances, no paid plans.
    auto quota = cc.post("/v3/organization_quotas", "admin",
                         R"({"name": "tiny", "services": {"total_service_instances": 2,
                         "paid_services_allowed": false, "total_service_keys": 1}})");
    INFO(quota.body());
    REQUIRE(quota.result() == StatusCode::created);
    REQUIRE(cc.post("/v3/organization_quotas/" + text(body_of(quota)["guid"]) +
                        "/relationships/organizations",
                    "admin", R"({"data": [{"guid": ")" + w.org + R"("}]})")
                .result() == StatusCode::ok);
    // User-provided instances don't count.
    CHECK(cc.post("/v3/service_instances", "dev",
                  R"({"type": "user-provided", "name": "ups", "relationships": {"space":
                  {"data": {"guid": ")" +
                      w.space + R"("}}}})")
              .result() == StatusCode::created);
    std::string second = provisioned(cc, w, "second", w.small);
    auto third = cc.post("/v3/service_instances", "dev", instance_body(w, "third", w.small));
    CHECK(third.result() == StatusCode::unprocessable_entity);
    CHECK_THAT(third.body(),
               Catch::Contains("You have exceeded your organization's services limit."));
    auto paid = cc.post("/v3/service_instances", "admin", instance_body(w, "paid", w.large));
    CHECK(paid.result() == StatusCode::unprocessable_entity);
    REQUIRE(cc.post("/v3/service_credential_bindings", "dev", binding_body(second, "", "k1"))
                .result() == StatusCode::accepted);
    auto key2 = cc.post("/v3/service_credential_bindings", "dev", binding_body(second, "", "k2"));
    CHECK(key2.result() == StatusCode::unprocessable_entity);
    CHECK_THAT(key2.body(), Catch::Contains("limit for service binding of type key"));
  }

  SECTION("renames and plan changes, and one operation at a time") {
    std::string guid = provisioned(cc, w, "db", w.small);
    auto renamed = cc.call(http::Verb::patch, "/v3/service_instances/" + guid, "dev",
                           R"({"name": "db2", "tags": ["a"]})");
    REQUIRE(renamed.result() == StatusCode::ok);
    CHECK(text(body_of(renamed)["name"]) == "db2");
    CHECK(broker.calls("PATCH", "/v2/service_instances/").empty());
    // A developer may not move to a plan they can't see; an admin may.
    CHECK(
        cc.call(http::Verb::patch, "/v3/service_instances/" + guid, "dev",
                R"({"relationships": {"service_plan": {"data": {"guid": ")" + w.large + R"("}}}})")
            .result() == StatusCode::unprocessable_entity);
    auto moved = cc.call(http::Verb::patch, "/v3/service_instances/" + guid, "admin",
                         R"({"parameters": {"x": 1}, "relationships": {"service_plan": {"data":
                         {"guid": ")" +
                             w.large + R"("}}}})");
    INFO(moved.body());
    REQUIRE(moved.result() == StatusCode::accepted);
    CHECK(text(finished_job(cc, job_path(moved))["state"]) == "COMPLETE");
    auto i = instance(cc, guid);
    CHECK(text(i["relationships"]["service_plan"]["data"]["guid"]) == w.large);
    CHECK(text(i["last_operation"]["type"]) == "update");
    auto patches = broker.calls("PATCH", "/v2/service_instances/" + guid);
    REQUIRE(patches.size() == 1);
    auto sent = json::parse(patches[0].body);
    REQUIRE(sent.ok());
    CHECK(text((*sent)["plan_id"]) == "plan-large");
    CHECK(text((*sent)["previous_values"]["plan_id"]) == "plan-small");

    // While the broker works on one operation, a second is refused.
    broker.set_instance_mode(Mode::async);
    broker.set_retry_after(1);
    auto deleting = cc.del("/v3/service_instances/" + guid, "dev");
    REQUIRE(deleting.result() == StatusCode::accepted);
    auto busy = cc.del("/v3/service_instances/" + guid, "dev");
    broker.set_retry_after(0);
    CHECK(busy.result() == StatusCode::conflict);
    CHECK_THAT(busy.body(), Catch::Contains("is in progress"));
    CHECK(text(finished_job(cc, job_path(deleting))["state"]) == "COMPLETE");
  }
}

TEST_CASE("managed services: what was in progress is picked up after a restart",
          "[services][managed]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  broker.set_instance_mode(Mode::async);
  std::string guid = provisioned(cc, w, "db", w.small);
  // As if the Cloud Controller had stopped after the broker accepted an update (202).
  std::string job_guid = "resumed-job";
  auto begun = cc.run(cc.api().services.begin_instance_operation(guid, "update", job_guid, {}));
  REQUIRE(begun.ok());
  REQUIRE(cc.run(cc.api().services.accepted_instance_operation(guid, "provision-" + guid)).ok());
  cc::Job job;
  job.guid = job_guid;
  job.operation = "service_instance.update";
  job.state = "PROCESSING";
  REQUIRE(cc.run(cc.api().db.create_job(job)).ok());
  CHECK(text(instance(cc, guid)["last_operation"]["state"]) == "in progress");

  REQUIRE(cc.run(cc.operations().resume()).ok());
  CHECK(text(finished_job(cc, "/v3/jobs/" + job_guid)["state"]) == "COMPLETE");
  CHECK(text(instance(cc, guid)["last_operation"]["state"]) == "succeeded");
  CHECK(text(instance(cc, guid)["last_operation"]["type"]) == "update");
}
