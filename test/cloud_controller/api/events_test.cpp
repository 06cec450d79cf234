// Audit and usage events on a real Postgres: what an app's life records, who reads them.
#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;

namespace {

std::vector<std::string> types_in(const http::Response& res) {
  auto doc = body_of(res);
  std::vector<std::string> out;
  for (const auto& e : doc["resources"].GetArray()) out.push_back(e["type"].GetString());
  return out;
}

}  // namespace

TEST_CASE("an app's life leaves audit events its space can read and usage events for admins",
          "[events]") {
  CcFixture cc;
  for (const char* who : {"dev", "stranger"}) cc.tokens.person(who);
  std::string org =
      body_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"))["guid"].GetString();
  std::string space =
      body_of(cc.post("/v3/spaces", "admin",
                      R"({"name": "s", "relationships": {"organization": {"data": {"guid": ")" +
                          org + R"("}}}})"))["guid"]
          .GetString();
  for (const auto& [type, kind, guid] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"organization_user", "organization", org}, {"space_developer", "space", space}}) {
    REQUIRE(cc.post("/v3/roles", "admin",
                    R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                        R"(": {"data": {"guid": ")" + guid +
                        R"("}}, "user": {"data": {"username": "dev"}}}})")
                .result() == StatusCode::created);
  }
  std::string app = body_of(cc.post("/v3/apps", "dev",
                                    R"({"name": "web", "relationships": {"space": {"data": )"
                                    R"({"guid": ")" +
                                        space + R"("}}}})"))["guid"]
                        .GetString();
  stage_droplet(cc, app, "dev");
  REQUIRE(cc.post("/v3/apps/" + app + "/actions/start", "dev", "").result() == StatusCode::ok);
  REQUIRE(cc.post("/v3/apps/" + app + "/processes/web/actions/scale", "dev",
                  R"({"instances": 3, "memory_in_mb": 128})")
              .result() == StatusCode::accepted);
  REQUIRE(cc.post("/v3/apps/" + app + "/actions/stop", "dev", "").result() == StatusCode::ok);

  // cf events web
  auto events = cc.get("/v3/audit_events?target_guids=" + app + "&order_by=created_at", "dev");
  CHECK(types_in(events) == std::vector<std::string>{"audit.app.create", "audit.app.package.create",
                                                     "audit.app.upload-bits",
                                                     "audit.app.build.create",
                                                     "audit.app.droplet.mapped", "audit.app.start",
                                                     "audit.app.process.scale", "audit.app.stop"});
  auto doc = body_of(events);
  const auto& start = doc["resources"][5];
  CHECK(std::string(start["actor"]["name"].GetString()) == "dev");
  CHECK(std::string(start["target"]["name"].GetString()) == "web");
  CHECK(std::string(start["space"]["guid"].GetString()) == space);
  CHECK(std::string(start["organization"]["guid"].GetString()) == org);
  CHECK(doc["resources"][6]["data"]["request"]["instances"].GetInt() == 3);
  std::string one = start["guid"].GetString();
  CHECK(cc.get("/v3/audit_events/" + one, "dev").result() == StatusCode::ok);
  CHECK(cc.get("/v3/audit_events/" + one, "stranger").result() == StatusCode::not_found);
  CHECK(body_of(cc.get("/v3/audit_events", "stranger"))["resources"].Size() == 0);
  CHECK(types_in(cc.get("/v3/audit_events?types=audit.app.start", "admin")) ==
        std::vector<std::string>{"audit.app.start"});

  // Usage: started with 1 × 1024 MB, scaled to 3 × 128 MB, stopped.
  CHECK(body_of(cc.get("/v3/app_usage_events", "dev"))["resources"].Size() == 0);
  auto usage = body_of(cc.get("/v3/app_usage_events", "admin"));
  REQUIRE(usage["resources"].Size() == 3);
  const auto& started = usage["resources"][0];
  CHECK(std::string(started["state"]["current"].GetString()) == "STARTED");
  CHECK(std::string(started["state"]["previous"].GetString()) == "STOPPED");
  CHECK(started["instance_count"]["current"].GetInt() == 1);
  CHECK(started["memory_in_mb_per_instance"]["current"].GetInt() == 1024);
  CHECK(std::string(started["app"]["name"].GetString()) == "web");
  CHECK(std::string(started["space"]["name"].GetString()) == "s");
  const auto& scaled = usage["resources"][1];
  CHECK(scaled["instance_count"]["current"].GetInt() == 3);
  CHECK(scaled["instance_count"]["previous"].GetInt() == 1);
  CHECK(scaled["memory_in_mb_per_instance"]["current"].GetInt() == 128);
  CHECK(scaled["memory_in_mb_per_instance"]["previous"].GetInt() == 1024);
  CHECK(std::string(usage["resources"][2]["state"]["current"].GetString()) == "STOPPED");
  std::string first = started["guid"].GetString();
  CHECK(body_of(cc.get("/v3/app_usage_events?after_guid=" + first, "admin"))["resources"].Size() ==
        2);

  // A billing system resyncs: everything running now, as STARTED events.
  REQUIRE(cc.post("/v3/apps/" + app + "/actions/start", "dev", "").result() == StatusCode::ok);
  CHECK(cc.post("/v3/app_usage_events/actions/destructively_purge_all_and_reseed", "dev", "")
            .result() == StatusCode::forbidden);
  REQUIRE(cc.post("/v3/app_usage_events/actions/destructively_purge_all_and_reseed", "admin", "")
              .result() == StatusCode::ok);
  usage = body_of(cc.get("/v3/app_usage_events", "admin"));
  REQUIRE(usage["resources"].Size() == 1);
  CHECK(usage["resources"][0]["instance_count"]["current"].GetInt() == 3);
}
