// Apps, their environment variables and processes on a real Postgres: who may do what, and
// the answers the cf CLI relies on.
#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;

namespace {

struct Tenancy {
  std::string org;
  std::string space;
};

// An org and a space; dev is its developer, auditor its auditor, olivia the org's manager.
Tenancy tenancy(CcFixture& cc) {
  for (const char* who : {"dev", "auditor", "olivia", "outsider"}) cc.tokens.person(who);
  Tenancy t;
  t.org = body_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"))["guid"].GetString();
  t.space =
      body_of(cc.post("/v3/spaces", "admin",
                      R"({"name": "dev", "relationships": {"organization": {"data": {"guid": ")" +
                          t.org + R"("}}}})"))["guid"]
          .GetString();
  auto role = [&](const std::string& type, const std::string& kind, const std::string& guid,
                  const std::string& user) {
    auto res = cc.post("/v3/roles", "admin",
                       R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                           R"(": {"data": {"guid": ")" + guid +
                           R"("}}, "user": {"data": {"username": ")" + user + R"("}}}})");
    REQUIRE(res.result() == StatusCode::created);
  };
  role("organization_manager", "organization", t.org, "olivia");
  role("organization_user", "organization", t.org, "dev");
  role("organization_user", "organization", t.org, "auditor");
  role("space_developer", "space", t.space, "dev");
  role("space_auditor", "space", t.space, "auditor");
  return t;
}

std::string app_body(const std::string& name, const std::string& space,
                     const std::string& extra = "") {
  return R"({"name": ")" + name + R"(", "relationships": {"space": {"data": {"guid": ")" + space +
         R"("}}})" + (extra.empty() ? "" : ", " + extra) + "}";
}

}  // namespace

TEST_CASE("apps: developers create and change them; others see what their role shows") {
  CcFixture cc;
  Tenancy t = tenancy(cc);

  auto created = cc.post("/v3/apps", "dev",
                         app_body("web1", t.space, R"("environment_variables": {"A": "1"})"));
  INFO(created.body());
  REQUIRE(created.result() == StatusCode::created);
  auto app = body_of(created);
  std::string guid = app["guid"].GetString();
  CHECK(std::string(app["state"].GetString()) == "STOPPED");
  CHECK(std::string(app["lifecycle"]["type"].GetString()) == "buildpack");
  CHECK(std::string(app["lifecycle"]["data"]["stack"].GetString()) == "cupolafs");
  CHECK(std::string(app["relationships"]["space"]["data"]["guid"].GetString()) == t.space);
  REQUIRE(cc.post("/v3/apps", "dev", app_body("web10", t.space)).result() == StatusCode::created);

  auto twice = cc.post("/v3/apps", "dev", app_body("WEB1", t.space));
  CHECK(twice.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(twice) == "App with the name 'WEB1' already exists.");
  CHECK(cc.post("/v3/apps", "auditor", app_body("mine", t.space)).result() ==
        StatusCode::forbidden);
  CHECK(cc.post("/v3/apps", "olivia", app_body("mine", t.space)).result() == StatusCode::forbidden);
  CHECK(detail_of(cc.post("/v3/apps", "outsider", app_body("mine", t.space))) ==
        "Invalid space. Ensure that the space exists and you have access to it.");

  // The CLI's lookup by name and space must match exactly.
  auto by_name = cc.get("/v3/apps?names=web1&space_guids=" + t.space, "dev");
  CHECK(names_in(by_name) == std::vector<std::string>{"web1"});
  CHECK(names_in(cc.get("/v3/apps?order_by=name", "auditor")) ==
        std::vector<std::string>{"web1", "web10"});
  CHECK(names_in(cc.get("/v3/apps?organization_guids=" + t.org, "olivia")).size() == 2);
  CHECK(names_in(cc.get("/v3/apps", "outsider")).empty());
  auto hidden = cc.get("/v3/apps/" + guid, "outsider");
  CHECK(hidden.result() == StatusCode::not_found);
  CHECK(detail_of(hidden) == "App not found");

  // Environment variables: developers read and change them; an auditor may not read them.
  auto env = body_of(cc.get("/v3/apps/" + guid + "/environment_variables", "dev"));
  CHECK(std::string(env["var"]["A"].GetString()) == "1");
  CHECK(cc.get("/v3/apps/" + guid + "/environment_variables", "auditor").result() ==
        StatusCode::forbidden);
  auto patched = cc.call(http::Verb::patch, "/v3/apps/" + guid + "/environment_variables", "dev",
                         R"({"var": {"A": null, "B": "two"}})");
  REQUIRE(patched.result() == StatusCode::ok);
  auto vars = body_of(patched);
  CHECK_FALSE(vars["var"].HasMember("A"));
  CHECK(std::string(vars["var"]["B"].GetString()) == "two");
  CHECK(cc.call(http::Verb::patch, "/v3/apps/" + guid + "/environment_variables", "dev",
                R"({"var": {"VCAP_SERVICES": "x"}})")
            .result() == StatusCode::unprocessable_entity);
  CHECK(cc.call(http::Verb::patch, "/v3/apps/" + guid + "/environment_variables", "dev",
                R"({"var": {"N": 7}})")
            .result() == StatusCode::unprocessable_entity);

  // Renaming follows the same rules.
  auto renamed = cc.call(http::Verb::patch, "/v3/apps/" + guid, "dev", R"({"name": "web2"})");
  CHECK(std::string(body_of(renamed)["name"].GetString()) == "web2");
  CHECK(cc.call(http::Verb::patch, "/v3/apps/" + guid, "auditor", R"({"name": "x"})").result() ==
        StatusCode::forbidden);
}

TEST_CASE("processes: an app has a web process; developers scale it") {
  CcFixture cc;
  Tenancy t = tenancy(cc);
  std::string app =
      body_of(cc.post("/v3/apps", "dev", app_body("web", t.space)))["guid"].GetString();

  auto listed = body_of(cc.get("/v3/apps/" + app + "/processes", "auditor"));
  REQUIRE(listed["resources"].Size() == 1);
  const auto& web = listed["resources"][0];
  std::string process = web["guid"].GetString();
  CHECK(std::string(web["type"].GetString()) == "web");
  CHECK(web["instances"].GetInt() == 1);
  CHECK(web["memory_in_mb"].GetInt() == 1024);
  CHECK(std::string(web["health_check"]["type"].GetString()) == "port");
  CHECK(std::string(web["relationships"]["app"]["data"]["guid"].GetString()) == app);
  CHECK(body_of(cc.get("/v3/processes?app_guids=" + app, "dev"))["resources"].Size() == 1);

  auto scaled = cc.post("/v3/apps/" + app + "/processes/web/actions/scale", "dev",
                        R"({"instances": 3, "memory_in_mb": 256})");
  REQUIRE(scaled.result() == StatusCode::accepted);
  CHECK(body_of(scaled)["instances"].GetInt() == 3);
  auto again = body_of(cc.get("/v3/processes/" + process, "auditor"));
  CHECK(again["instances"].GetInt() == 3);
  CHECK(again["memory_in_mb"].GetInt() == 256);
  CHECK(again["disk_in_mb"].GetInt() == 1024);

  CHECK(
      cc.post("/v3/apps/" + app + "/processes/web/actions/scale", "auditor", R"({"instances": 1})")
          .result() == StatusCode::forbidden);
  CHECK(detail_of(cc.post("/v3/apps/" + app + "/processes/web/actions/scale", "dev",
                          R"({"instances": -1})")) ==
        "Instances must be greater than or equal to 0");
  CHECK(detail_of(cc.post("/v3/apps/" + app + "/processes/worker/actions/scale", "dev",
                          R"({"instances": 1})")) == "Process not found");
  CHECK(cc.get("/v3/processes/" + process, "outsider").result() == StatusCode::not_found);

  // What `cf app` reads: no app has a droplet yet, so nothing runs and no instance is up.
  auto stats = body_of(cc.get("/v3/processes/" + process + "/stats", "auditor"));
  REQUIRE(stats["resources"].Size() == 3);
  CHECK(std::string(stats["resources"][2]["state"].GetString()) == "DOWN");
  CHECK(stats["resources"][2]["index"].GetInt() == 2);
  CHECK(stats["resources"][0]["uptime"].IsInt());
  CHECK(stats["resources"][0]["mem_quota"].GetInt64() == 256LL * 1024 * 1024);
  CHECK(body_of(cc.get("/v3/processes/" + process + "/sidecars", "dev"))["resources"].Size() == 0);
  auto droplet = cc.get("/v3/apps/" + app + "/droplets/current", "dev");
  CHECK(droplet.result() == StatusCode::not_found);
  CHECK(detail_of(droplet) == "Droplet not found");
  auto start = cc.post("/v3/apps/" + app + "/actions/start", "dev", "{}");
  CHECK(start.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(start) == "Assign a droplet before starting this app.");
  CHECK(cc.post("/v3/apps/" + app + "/actions/start", "auditor", "{}").result() ==
        StatusCode::forbidden);
  auto stop = cc.post("/v3/apps/" + app + "/actions/stop", "dev", "{}");
  CHECK(stop.result() == StatusCode::ok);
  CHECK(std::string(body_of(stop)["state"].GetString()) == "STOPPED");

  // Deleting the app takes its processes with it.
  auto deleted = cc.del("/v3/apps/" + app, "dev");
  CHECK(deleted.result() == StatusCode::accepted);
  CHECK(cc.get("/v3/apps/" + app, "admin").result() == StatusCode::not_found);
  CHECK(cc.get("/v3/processes/" + process, "admin").result() == StatusCode::not_found);
}

TEST_CASE("cf set-health-check: developers change a process's health check and command") {
  CcFixture cc;
  Tenancy t = tenancy(cc);
  std::string app =
      body_of(cc.post("/v3/apps", "dev", app_body("web", t.space)))["guid"].GetString();
  std::string web =
      body_of(cc.get("/v3/apps/" + app + "/processes", "dev"))["resources"][0]["guid"].GetString();
  auto patch = [&](const std::string& who, const std::string& body) {
    return cc.call(http::Verb::patch, "/v3/processes/" + web, who, body);
  };
  auto changed = patch("dev", R"({"command": "./run", "health_check": {"type": "http",
                                  "data": {"endpoint": "/ready", "timeout": 90}}})");
  INFO(changed.body());
  REQUIRE(changed.result() == StatusCode::ok);
  auto p = body_of(changed);
  CHECK(std::string(p["command"].GetString()) == "./run");
  CHECK(std::string(p["health_check"]["type"].GetString()) == "http");
  CHECK(std::string(p["health_check"]["data"]["endpoint"].GetString()) == "/ready");
  CHECK(p["health_check"]["data"]["timeout"].GetInt() == 90);
  CHECK(patch("auditor", R"({"command": "x"})").result() == StatusCode::forbidden);
  CHECK(detail_of(patch("dev", R"({"health_check": {"type": "tcp"}})")) ==
        "Health check type must be one of 'port', 'process', 'http'");
  CHECK(detail_of(
            patch("dev", R"({"health_check": {"type": "port", "data": {"endpoint": "/x"}}})")) ==
        "Health check type must be \"http\" to set a health check HTTP endpoint");
  auto reset = body_of(patch("dev", R"({"command": null, "health_check": {"type": "process"}})"));
  CHECK(reset["command"].IsNull());
  CHECK(std::string(reset["health_check"]["type"].GetString()) == "process");
}

TEST_CASE("deleting an app removes its droplets' and packages' bits") {
  CcFixture cc;
  Tenancy t = tenancy(cc);
  std::string app =
      body_of(cc.post("/v3/apps", "dev", app_body("web", t.space)))["guid"].GetString();
  std::string droplet = stage_droplet(cc, app, "dev");
  std::string link = cc.signer().sign("GET", "/internal/v4/droplets/" + droplet + "/download",
                                      std::chrono::seconds(60), std::chrono::system_clock::now());
  link = link.substr(link.find("/internal/"));
  CHECK(cc.get(link, "").result() == StatusCode::ok);
  REQUIRE(cc.del("/v3/apps/" + app, "dev").result() == StatusCode::accepted);
  CHECK(cc.get(link, "").result() == StatusCode::not_found);
}
