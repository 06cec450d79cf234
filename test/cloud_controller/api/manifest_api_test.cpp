// apply_manifest on a real Postgres, as `cf push` sends it: the app made when missing, its
// processes, environment and routes set, the job's outcome, and who may do it.
#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;

namespace {

struct Space {
  std::string org, space;
};

Space space_with_developer(CcFixture& cc) {
  for (const char* who : {"dev", "aud"}) cc.tokens.person(who);
  Space s;
  s.org = body_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"))["guid"].GetString();
  s.space =
      body_of(cc.post("/v3/spaces", "admin",
                      R"({"name": "dev", "relationships": {"organization": {"data": {"guid": ")" +
                          s.org + R"("}}}})"))["guid"]
          .GetString();
  for (const auto& [type, kind, guid, user] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"organization_user", "organization", s.org, "dev"},
           {"organization_user", "organization", s.org, "aud"},
           {"space_developer", "space", s.space, "dev"},
           {"space_auditor", "space", s.space, "aud"}}) {
    REQUIRE(cc.post("/v3/roles", "admin",
                    R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                        R"(": {"data": {"guid": ")" + guid +
                        R"("}}, "user": {"data": {"username": ")" + user + R"("}}}})")
                .result() == StatusCode::created);
  }
  REQUIRE(cc.post("/v3/domains", "admin", R"({"name": "apps.example.com"})").result() ==
          StatusCode::created);
  return s;
}

http::Response apply(CcFixture& cc, const std::string& space, const std::string& who,
                     const std::string& yaml) {
  return cc.send(http::Verb::post, "/v3/spaces/" + space + "/actions/apply_manifest", who,
                 "application/x-yaml", yaml);
}

// The job a 202 points at.
json::Document job_of(CcFixture& cc, const http::Response& res) {
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::accepted);
  std::string location(res[http::bhttp::field::location]);
  auto at = location.find("/v3/jobs/");
  REQUIRE(at != std::string::npos);
  return body_of(cc.get(location.substr(at), "dev"));
}

}  // namespace

TEST_CASE("apply_manifest makes the app, sets its processes and env, and maps its routes") {
  CcFixture cc;
  Space s = space_with_developer(cc);

  auto job = job_of(cc, apply(cc, s.space, "dev", R"(applications:
- name: My App
  instances: 2
  memory: 256M
  disk-quota: 1G
  health-check-type: http
  health-check-http-endpoint: /health
  command: python3 app.py
  buildpacks: [python_buildpack]
  env: {GREETING: hi, COUNT: 3}
  default-route: true
  processes:
  - type: worker
    instances: 3
    memory: 128M
)"));
  CHECK(std::string(job["state"].GetString()) == "COMPLETE");
  CHECK(std::string(job["operation"].GetString()) == "app.apply_manifest");

  auto apps = body_of(cc.get("/v3/apps?names=My%20App&space_guids=" + s.space, "dev"));
  REQUIRE(apps["resources"].Size() == 1);
  const auto& app = apps["resources"][0];
  std::string guid = app["guid"].GetString();
  CHECK(std::string(app["state"].GetString()) == "STOPPED");
  CHECK(std::string(app["lifecycle"]["data"]["buildpacks"][0].GetString()) == "python_buildpack");
  auto env = body_of(cc.get("/v3/apps/" + guid + "/environment_variables", "dev"));
  CHECK(std::string(env["var"]["GREETING"].GetString()) == "hi");
  CHECK(std::string(env["var"]["COUNT"].GetString()) == "3");

  auto processes = body_of(cc.get("/v3/apps/" + guid + "/processes", "dev"));
  REQUIRE(processes["resources"].Size() == 2);
  for (const auto& p : processes["resources"].GetArray()) {
    std::string type = p["type"].GetString();
    if (type == "web") {
      CHECK(p["instances"].GetInt() == 2);
      CHECK(p["memory_in_mb"].GetInt() == 256);
      CHECK(p["disk_in_mb"].GetInt() == 1024);
      CHECK(std::string(p["command"].GetString()) == "python3 app.py");
      CHECK(std::string(p["health_check"]["type"].GetString()) == "http");
    } else {
      CHECK(type == "worker");
      CHECK(p["instances"].GetInt() == 3);
      CHECK(p["memory_in_mb"].GetInt() == 128);
    }
  }
  // The default route: the app's name as a host of the default domain.
  auto routes = body_of(cc.get("/v3/apps/" + guid + "/routes", "dev"));
  REQUIRE(routes["resources"].Size() == 1);
  CHECK(std::string(routes["resources"][0]["url"].GetString()) == "my-app.apps.example.com");

  // Pushing again keeps the route, merges the env, and takes explicit routes.
  job = job_of(cc, apply(cc, s.space, "dev", R"(applications:
- name: My App
  env: {OTHER: x}
  routes:
  - route: api.apps.example.com/v1
)"));
  CHECK(std::string(job["state"].GetString()) == "COMPLETE");
  env = body_of(cc.get("/v3/apps/" + guid + "/environment_variables", "dev"));
  CHECK(env["var"].MemberCount() == 3);
  routes = body_of(cc.get("/v3/apps/" + guid + "/routes?order_by=created_at", "dev"));
  REQUIRE(routes["resources"].Size() == 2);
  CHECK(std::string(routes["resources"][1]["url"].GetString()) == "api.apps.example.com/v1");

  // no-route unmaps them all.
  job_of(cc, apply(cc, s.space, "dev", "applications:\n- name: My App\n  no-route: true\n"));
  CHECK(body_of(cc.get("/v3/apps/" + guid + "/routes", "dev"))["resources"].Size() == 0);

  // A random route: the name and two words and a number.
  job_of(cc, apply(cc, s.space, "dev", "applications:\n- name: rnd\n  random-route: true\n"));
  std::string rnd =
      body_of(cc.get("/v3/apps?names=rnd", "dev"))["resources"][0]["guid"].GetString();
  auto rnd_routes = body_of(cc.get(std::string("/v3/apps/") + rnd + "/routes", "dev"));
  REQUIRE(rnd_routes["resources"].Size() == 1);
  std::string host = rnd_routes["resources"][0]["host"].GetString();
  CHECK(host.rfind("rnd-", 0) == 0);
  CHECK(std::count(host.begin(), host.end(), '-') == 3);
}

TEST_CASE("apply_manifest: bad manifests are refused at once, failures fail the job") {
  CcFixture cc;
  Space s = space_with_developer(cc);

  auto bad = apply(cc, s.space, "dev", "applications:\n- name: web\n  memory: lots\n");
  CHECK(bad.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(bad) ==
        "For application 'web': Memory must use a supported unit: B, K, KB, M, MB, G, GB, T, or "
        "TB");
  CHECK(apply(cc, s.space, "dev", "applications: [\n").result() == StatusCode::bad_request);
  CHECK(apply(cc, s.space, "aud", "applications:\n- name: web\n").result() ==
        StatusCode::forbidden);
  cc.tokens.person("stranger");
  CHECK(apply(cc, s.space, "stranger", "applications:\n- name: web\n").result() ==
        StatusCode::not_found);

  auto job =
      job_of(cc, apply(cc, s.space, "dev",
                       "applications:\n- name: web\n  routes:\n  - route: web.nowhere.test\n"));
  CHECK(std::string(job["state"].GetString()) == "FAILED");
  CHECK(std::string(job["errors"][0]["detail"].GetString()) ==
        "For application 'web': The route 'web.nowhere.test' did not match any existing domains.");
  job = job_of(cc, apply(cc, s.space, "dev", "applications:\n- name: web\n  services: [db]\n"));
  CHECK(std::string(job["state"].GetString()) == "FAILED");
  CHECK(std::string(job["errors"][0]["detail"].GetString()) ==
        "For application 'web': Service instance 'db' not found");
}
