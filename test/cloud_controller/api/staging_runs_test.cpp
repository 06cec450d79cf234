// Builds, droplets and running apps on a real Postgres: staging through the signed callbacks
// cells and the BBS use, the current droplet, start/stop/restart, scaling and stats.
#include <chrono>
#include <string_view>

#include "cloud_controller/src/bits/hashing.h"
#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;

namespace {

constexpr std::string_view kSignerBase = "http://127.0.0.1:9022";
const std::string kBoundary = "cupola-test-boundary-7d3f";

// The builder's result.json for a Python app, as the BBS passes it on (a JSON string).
constexpr std::string_view kPythonResult =
    R"({\"process_types\":{\"web\":\"python3 app.py\"},\"lifecycle_metadata\":)"
    R"({\"detected_buildpack\":\"python\",\"buildpacks\":[{\"key\":\"python_buildpack\",)"
    R"(\"name\":\"python\",\"version\":\"1.0\"}]},\"execution_metadata\":\"\"})";

struct Space {
  std::string org;
  std::string guid;
};

// An org and a space: dev develops there, auditor audits, sam is a space supporter.
Space new_space(CcFixture& cc) {
  for (const char* who : {"dev", "auditor", "sam"}) cc.tokens.person(who);
  Space s;
  s.org = body_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"))["guid"].GetString();
  s.guid =
      body_of(cc.post("/v3/spaces", "admin",
                      R"({"name": "dev", "relationships": {"organization": {"data": {"guid": ")" +
                          s.org + R"("}}}})"))["guid"]
          .GetString();
  auto role = [&](const std::string& type, const std::string& guid, const std::string& user) {
    std::string kind = type.starts_with("space_") ? "space" : "organization";
    auto res = cc.post("/v3/roles", "admin",
                       R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                           R"(": {"data": {"guid": ")" + guid +
                           R"("}}, "user": {"data": {"username": ")" + user + R"("}}}})");
    REQUIRE(res.result() == StatusCode::created);
  };
  for (const char* who : {"dev", "auditor", "sam"}) role("organization_user", s.org, who);
  role("space_developer", s.guid, "dev");
  role("space_auditor", s.guid, "auditor");
  role("space_supporter", s.guid, "sam");
  return s;
}

std::string new_app(CcFixture& cc, const Space& s, const std::string& name) {
  auto res =
      cc.post("/v3/apps", "dev",
              R"({"name": ")" + name + R"(", "relationships": {"space": {"data": {"guid": ")" +
                  s.guid + R"("}}}})");
  REQUIRE(res.result() == StatusCode::created);
  return body_of(res)["guid"].GetString();
}

std::string new_package(CcFixture& cc, const std::string& app) {
  auto res = cc.post(
      "/v3/packages", "dev",
      R"({"type": "bits", "relationships": {"app": {"data": {"guid": ")" + app + R"("}}}})");
  REQUIRE(res.result() == StatusCode::created);
  return body_of(res)["guid"].GetString();
}

// A package made READY by an upload in which every file matched (the cf CLI then sends only
// `resources`).
std::string ready_package(CcFixture& cc, const std::string& app) {
  std::string guid = new_package(cc, app);
  std::string body = "--" + kBoundary +
                     "\r\nContent-Disposition: form-data; name=\"resources\"\r\n\r\n[]\r\n--" +
                     kBoundary + "--\r\n";
  auto res = cc.send(http::Verb::post, "/v3/packages/" + guid + "/upload", "dev",
                     "multipart/form-data; boundary=" + kBoundary, body);
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::ok);
  return guid;
}

http::Response build(CcFixture& cc, const std::string& package, const std::string& who = "dev") {
  return cc.post("/v3/builds", who, R"({"package": {"guid": ")" + package + R"("}})");
}

// A STAGING build of a fresh READY package, and the droplet it stages into, which the build
// does not show until it is STAGED. The app must have no other build in flight.
struct Staging {
  std::string build;
  std::string droplet;
};
Staging start_staging(CcFixture& cc, const std::string& app) {
  auto res = build(cc, ready_package(cc, app));
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  auto droplets = body_of(cc.get("/v3/droplets?app_guids=" + app + "&states=STAGING", "dev"));
  REQUIRE(droplets["resources"].Size() == 1);
  return {body_of(res)["guid"].GetString(), droplets["resources"][0]["guid"].GetString()};
}

std::string signed_path(CcFixture& cc, std::string_view method, const std::string& path) {
  std::string url =
      cc.signer().sign(method, path, std::chrono::seconds(60), std::chrono::system_clock::now());
  REQUIRE(url.starts_with(kSignerBase));
  return url.substr(kSignerBase.size());
}

http::Response upload_droplet(CcFixture& cc, const std::string& droplet, std::string bytes) {
  return cc.send(http::Verb::post,
                 signed_path(cc, "POST", "/internal/v4/droplets/" + droplet + "/upload"), "",
                 "application/octet-stream", std::move(bytes));
}

http::Response complete(CcFixture& cc, const std::string& build, bool failed,
                        std::string_view reason, std::string_view result) {
  std::string body = R"({"task_guid": ")" + build + R"(", "failed": )" +
                     (failed ? "true" : "false") + R"(, "failure_reason": ")" +
                     std::string(reason) + R"(", "result": ")" + std::string(result) +
                     R"(", "annotation": "", "created_at": 1700000000000000000})";
  return cc.send(http::Verb::post,
                 signed_path(cc, "POST", "/internal/v3/staging/" + build + "/completed"), "",
                 "application/json", body);
}

// A STAGED droplet of `app`, through the cell's upload and the BBS's callback.
std::string staged_droplet(CcFixture& cc, const std::string& app) {
  Staging s = start_staging(cc, app);
  REQUIRE(upload_droplet(cc, s.droplet, "droplet bytes").result() == StatusCode::created);
  REQUIRE(complete(cc, s.build, false, "", kPythonResult).result() == StatusCode::ok);
  return s.droplet;
}

std::string sha256_of(std::string_view bytes) {
  cc::bits::Hasher h(cc::bits::Hasher::Kind::Sha256);
  h.update(bytes);
  auto hex = h.finish();
  REQUIRE(hex.ok());
  return *hex;
}

std::string text(const json::Value& v) { return v.IsString() ? v.GetString() : "<not a string>"; }

std::vector<std::string> stat_states(CcFixture& cc, const std::string& process) {
  auto res = cc.get("/v3/processes/" + process + "/stats", "auditor");
  REQUIRE(res.result() == StatusCode::ok);
  std::vector<std::string> out;
  for (const auto& r : body_of(res)["resources"].GetArray()) out.push_back(text(r["state"]));
  return out;
}

}  // namespace

TEST_CASE("builds: only a READY package is staged, by developers", "[staging]") {
  CcFixture cc;
  Space s = new_space(cc);
  std::string app = new_app(cc, s, "web");

  auto early = build(cc, new_package(cc, app));
  CHECK(early.result() == StatusCode::bad_request);
  CHECK(detail_of(early) == "Bad request: Cannot stage package whose state is not ready.");
  CHECK(text(body_of(early)["errors"][0]["title"]) == "CF-InvalidRequest");
  CHECK(build(cc, "no-such-package").result() == StatusCode::unprocessable_entity);
  std::string package = ready_package(cc, app);
  // Those who see the package but may not stage it are told it cannot be used.
  CHECK(build(cc, package, "auditor").result() == StatusCode::unprocessable_entity);
  CHECK(cc.runtime.staged.empty());

  auto created = build(cc, package);
  INFO(created.body());
  REQUIRE(created.result() == StatusCode::created);
  auto b = body_of(created);
  std::string guid = b["guid"].GetString();
  CHECK(text(b["state"]) == "STAGING");
  CHECK(b["droplet"].IsNull());
  CHECK(b["error"].IsNull());
  CHECK(text(b["package"]["guid"]) == package);
  CHECK(text(b["created_by"]["guid"]) == "dev-guid");
  CHECK(cc.runtime.staged == std::vector<std::string>{guid});
  CHECK(text(body_of(cc.get("/v3/builds/" + guid, "auditor"))["state"]) == "STAGING");

  SECTION("a platform that refuses the staging task fails the build at once") {
    cc.runtime.refuse_staging = true;
    auto refused = build(cc, package);
    REQUIRE(refused.result() == StatusCode::created);
    auto failed = body_of(refused);
    CHECK(text(failed["state"]) == "FAILED");
    CHECK_THAT(text(failed["error"]), Catch::StartsWith("StagingError"));
    CHECK(text(body_of(cc.get("/v3/builds/" + text(failed["guid"]), "dev"))["state"]) == "FAILED");
    CHECK(
        body_of(cc.get("/v3/droplets?states=FAILED&app_guids=" + app, "dev"))["resources"].Size() ==
        1);
  }
}

TEST_CASE("staging: the cell's droplet upload and the BBS's callback finish a build", "[staging]") {
  CcFixture cc;
  Space s = new_space(cc);
  std::string app = new_app(cc, s, "web");
  Staging staging = start_staging(cc, app);
  REQUIRE_FALSE(staging.droplet.empty());
  auto listed = body_of(cc.get("/v3/apps/" + app + "/droplets", "auditor"));
  REQUIRE(listed["resources"].Size() == 1);
  CHECK(text(listed["resources"][0]["state"]) == "STAGING");

  const std::string bytes = "a droplet: any bytes will do \x01\x02";
  std::string upload_path = "/internal/v4/droplets/" + staging.droplet + "/upload";
  auto unsigned_upload =
      cc.send(http::Verb::post, upload_path, "dev", "application/octet-stream", bytes);
  CHECK(unsigned_upload.result() == StatusCode::forbidden);
  REQUIRE(upload_droplet(cc, staging.droplet, bytes).result() == StatusCode::created);

  std::string callback = "/internal/v3/staging/" + staging.build + "/completed";
  CHECK(cc.send(http::Verb::post, callback, "", "application/json", R"({"failed": false})")
            .result() == StatusCode::forbidden);
  CHECK(text(body_of(cc.get("/v3/builds/" + staging.build, "dev"))["state"]) == "STAGING");
  REQUIRE(complete(cc, staging.build, false, "", kPythonResult).result() == StatusCode::ok);

  auto b = body_of(cc.get("/v3/builds/" + staging.build, "dev"));
  CHECK(text(b["state"]) == "STAGED");
  REQUIRE(b["droplet"].IsObject());
  CHECK(text(b["droplet"]["guid"]) == staging.droplet);
  auto d = body_of(cc.get("/v3/droplets/" + staging.droplet, "auditor"));
  CHECK(text(d["state"]) == "STAGED");
  CHECK(text(d["process_types"]["web"]) == "python3 app.py");
  REQUIRE(d["buildpacks"].Size() == 1);
  CHECK(text(d["buildpacks"][0]["name"]) == "python_buildpack");
  CHECK(text(d["buildpacks"][0]["buildpack_name"]) == "python");
  CHECK(text(d["buildpacks"][0]["detect_output"]) == "python");
  CHECK(text(d["buildpacks"][0]["version"]) == "1.0");
  CHECK(text(d["checksum"]["type"]) == "sha256");
  CHECK(text(d["checksum"]["value"]) == sha256_of(bytes));
  auto fetched =
      cc.get(signed_path(cc, "GET", "/internal/v4/droplets/" + staging.droplet + "/download"), "");
  REQUIRE(fetched.result() == StatusCode::ok);
  CHECK(fetched.body() == bytes);

  // The BBS retries callbacks: a late failure report changes nothing.
  CHECK(complete(cc, staging.build, true, "Exited with status 222", "").result() == StatusCode::ok);
  CHECK(text(body_of(cc.get("/v3/builds/" + staging.build, "dev"))["state"]) == "STAGED");

  SECTION("no buildpack detected the app") {
    Staging failed = start_staging(cc, app);
    REQUIRE(complete(cc, failed.build, true, "Exited with status 222", "").result() ==
            StatusCode::ok);
    auto fb = body_of(cc.get("/v3/builds/" + failed.build, "dev"));
    CHECK(text(fb["state"]) == "FAILED");
    CHECK_THAT(text(fb["error"]), Catch::StartsWith("NoAppDetectedError"));
    CHECK(fb["droplet"].IsNull());
    CHECK(text(body_of(cc.get("/v3/droplets/" + failed.droplet, "dev"))["state"]) == "FAILED");
  }
  SECTION("the task succeeded but no droplet was uploaded") {
    Staging lost = start_staging(cc, app);
    REQUIRE(complete(cc, lost.build, false, "", kPythonResult).result() == StatusCode::ok);
    auto lb = body_of(cc.get("/v3/builds/" + lost.build, "dev"));
    CHECK(text(lb["state"]) == "FAILED");
    CHECK(text(lb["error"]) == "StagingError - Staging error: the droplet was not uploaded");
  }
}

TEST_CASE("running: the current droplet, start, stop, restart, scale and stats", "[staging]") {
  CcFixture cc;
  Space s = new_space(cc);
  std::string app = new_app(cc, s, "web");
  std::string other_app = new_app(cc, s, "worker");
  std::string process =
      body_of(cc.get("/v3/apps/" + app + "/processes", "dev"))["resources"][0]["guid"].GetString();

  auto none = cc.get("/v3/apps/" + app + "/droplets/current", "dev");
  CHECK(none.result() == StatusCode::not_found);
  CHECK(detail_of(none) == "Droplet not found");
  auto too_early = cc.post("/v3/apps/" + app + "/actions/start", "dev", "{}");
  CHECK(too_early.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(too_early) == "Assign a droplet before starting this app.");

  std::string droplet = staged_droplet(cc, app);
  Staging failed = start_staging(cc, app);
  REQUIRE(complete(cc, failed.build, true, "Exited with status 223", "").result() ==
          StatusCode::ok);
  std::string foreign = staged_droplet(cc, other_app);
  auto assign = [&](const std::string& guid, const std::string& who = "dev") {
    return cc.call(http::Verb::patch, "/v3/apps/" + app + "/relationships/current_droplet", who,
                   R"({"data": {"guid": ")" + guid + R"("}})");
  };
  CHECK(assign(failed.droplet).result() == StatusCode::unprocessable_entity);
  CHECK(assign(foreign).result() == StatusCode::unprocessable_entity);
  CHECK(assign(droplet, "auditor").result() == StatusCode::forbidden);
  CHECK(cc.get("/v3/apps/" + app + "/droplets/current", "dev").result() == StatusCode::not_found);
  auto assigned = assign(droplet);
  REQUIRE(assigned.result() == StatusCode::ok);
  CHECK(text(body_of(assigned)["data"]["guid"]) == droplet);
  auto current = cc.get("/v3/apps/" + app + "/droplets/current", "auditor");
  REQUIRE(current.result() == StatusCode::ok);
  CHECK(text(body_of(current)["guid"]) == droplet);
  CHECK(text(body_of(current)["state"]) == "STAGED");
  CHECK(stat_states(cc, process) == std::vector<std::string>{"DOWN"});

  CHECK(cc.post("/v3/apps/" + app + "/actions/start", "auditor", "{}").result() ==
        StatusCode::forbidden);
  CHECK(cc.runtime.synced.empty());
  auto started = cc.post("/v3/apps/" + app + "/actions/start", "dev", "{}");
  REQUIRE(started.result() == StatusCode::ok);
  CHECK(text(body_of(started)["state"]) == "STARTED");
  CHECK(cc.runtime.synced == std::vector<std::string>{app});
  auto stats = body_of(cc.get("/v3/processes/" + process + "/stats", "dev"));
  REQUIRE(stats["resources"].Size() == 1);
  CHECK(text(stats["resources"][0]["state"]) == "STARTING");
  CHECK(text(stats["resources"][0]["type"]) == "web");
  CHECK(stats["resources"][0]["index"].GetInt() == 0);
  CHECK(stats["resources"][0]["uptime"].IsInt());
  CHECK(stats["resources"][0]["mem_quota"].GetInt64() == 1024LL * 1024 * 1024);

  CHECK(cc.post("/v3/apps/" + app + "/actions/stop", "auditor", "{}").result() ==
        StatusCode::forbidden);
  auto stopped = cc.post("/v3/apps/" + app + "/actions/stop", "dev", "{}");
  REQUIRE(stopped.result() == StatusCode::ok);
  CHECK(text(body_of(stopped)["state"]) == "STOPPED");
  CHECK(cc.runtime.synced == std::vector<std::string>{app, app});
  CHECK(stat_states(cc, process) == std::vector<std::string>{"DOWN"});

  auto restarted = cc.post("/v3/apps/" + app + "/actions/restart", "dev", "{}");
  REQUIRE(restarted.result() == StatusCode::ok);
  CHECK(text(body_of(restarted)["state"]) == "STARTED");
  CHECK(cc.runtime.synced.size() == 3);
  CHECK(stat_states(cc, process) == std::vector<std::string>{"STARTING"});

  // A supporter operates the app without developing it.
  REQUIRE(cc.post("/v3/apps/" + app + "/actions/stop", "sam", "{}").result() == StatusCode::ok);
  auto by_supporter = cc.post("/v3/apps/" + app + "/actions/start", "sam", "{}");
  REQUIRE(by_supporter.result() == StatusCode::ok);
  CHECK(text(body_of(by_supporter)["state"]) == "STARTED");

  std::size_t syncs = cc.runtime.synced.size();
  auto scaled =
      cc.post("/v3/apps/" + app + "/processes/web/actions/scale", "dev", R"({"instances": 3})");
  REQUIRE(scaled.result() == StatusCode::accepted);
  CHECK(body_of(scaled)["instances"].GetInt() == 3);
  REQUIRE(cc.runtime.synced.size() == syncs + 1);
  CHECK(cc.runtime.synced.back() == app);
  CHECK(stat_states(cc, process) == std::vector<std::string>{"STARTING", "STARTING", "STARTING"});
}
