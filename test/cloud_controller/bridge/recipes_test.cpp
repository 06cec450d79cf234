// What the bridge asks Diego to run, built from records: desired LRPs, staging tasks, the
// environment apps see, and how a finished staging task is read.
#include "cloud_controller/src/bridge/recipes.h"

#include <catch2/catch.hpp>

#include "bbs/api/codec/action_codec.h"
#include "common/json/json.h"

using namespace cupola;
using namespace cupola::cc;

namespace {

ProcessRun web_run() {
  ProcessRun run;
  run.app.guid = "app-guid";
  run.app.name = "hello";
  run.app.space_guid = "space-guid";
  run.app.state = "STARTED";
  run.app.environment_json = R"({"GREETING": "hi", "VCAP_SERVICES": "forged"})";
  run.process.guid = "process-guid";
  run.process.app_guid = "app-guid";
  run.process.instances = 3;
  run.process.memory_in_mb = 256;
  run.process.disk_in_mb = 512;
  run.process.version = "0123456789abcdef0123456789abcdef0123";
  run.process.health_check_type = "http";
  run.process.health_check_endpoint = "/health";
  run.process.log_rate_limit = 2048;
  Droplet d;
  d.guid = "droplet-guid";
  d.state = "STAGED";
  d.process_types_json = R"({"web": "python3 app.py"})";
  d.sha256 = "abc";
  run.droplet = d;
  run.space_name = "dev";
  run.organization_guid = "org-guid";
  run.organization_name = "acme";
  run.uris = {"hello.apps.localhost"};
  return run;
}

std::string env_of(const std::vector<bbs::EnvironmentVariable>& env, const std::string& name) {
  for (const auto& e : env) {
    if (e.name == name) return e.value;
  }
  return "<unset>";
}

}  // namespace

TEST_CASE("a started process becomes a desired LRP named by its version") {
  ProcessRun run = web_run();
  LrpInputs in;
  in.droplet_url = "http://cc/internal/v4/droplets/droplet-guid/download?sig";
  in.cf_api = "https://api.localhost";
  in.uris = run.uris;
  in.running_group_json = R"({"GREETING": "group", "FROM_GROUP": "yes"})";
  auto lrp = desired_lrp(run, in);
  CHECK(lrp.process_guid == "process-guid-0123456789abcdef0123456789abcdef0123");
  CHECK(process_guid_of_lrp(lrp.process_guid) == "process-guid");
  CHECK(process_guid_of_lrp("too-short") == "");
  CHECK(lrp.domain == "cf-apps");
  CHECK(lrp.instances == 3);
  CHECK(lrp.memory_mb == 256);
  CHECK(lrp.log_rate_limit_bytes_per_second == 2048);
  CHECK(lrp.routes.find("hello.apps.localhost") != std::string::npos);
  CHECK(lrp.monitor.find("-uri='/health'") != std::string::npos);
  auto action = bbs::decode_action(lrp.action);
  REQUIRE(action.ok());
  const auto& launch = std::get<bbs::RunAction>(action->value);
  CHECK(launch.args[1] == "python3 app.py");  // the droplet's command for the web type
  CHECK(launch.log_source == "APP/PROC/WEB");
  // The app's variable wins over the group's; the platform's over the app's.
  CHECK(env_of(lrp.env, "GREETING") == "hi");
  CHECK(env_of(lrp.env, "FROM_GROUP") == "yes");
  CHECK(env_of(lrp.env, "VCAP_SERVICES") == "{}");
  CHECK(env_of(lrp.env, "MEMORY_LIMIT") == "256m");
  auto vcap = json::parse(env_of(lrp.env, "VCAP_APPLICATION"));
  REQUIRE(vcap.ok());
  CHECK(std::string((*vcap)["application_name"].GetString()) == "hello");
  CHECK(std::string((*vcap)["application_uris"][0].GetString()) == "hello.apps.localhost");
  CHECK(std::string((*vcap)["organization_name"].GetString()) == "acme");
  CHECK((*vcap)["limits"]["mem"].GetInt() == 256);
  CHECK(std::string((*vcap)["cf_api"].GetString()) == "https://api.localhost");

  run.process.command = "./custom";
  run.process.log_rate_limit = -1;
  run.process.health_check_type = "process";
  lrp = desired_lrp(run, in);
  CHECK(std::get<bbs::RunAction>(bbs::decode_action(lrp.action)->value).args[1] == "./custom");
  CHECK(lrp.log_rate_limit_bytes_per_second == 0);
  CHECK(lrp.monitor.empty());
}

TEST_CASE("a build becomes a staging task that fetches, builds and uploads") {
  StagingInputs in;
  in.build.guid = "build-guid";
  in.build.staging_memory_in_mb = 1024;
  in.build.staging_disk_in_mb = 4096;
  in.app = web_run().app;
  in.package_url = "http://cc/package";
  in.droplet_upload_url = "http://cc/droplet";
  in.callback_url = "http://cc/done";
  in.buildpacks = {{"python_buildpack", "http://cc/bp1", "sha"},
                   {"go_buildpack", "http://cc/bp2", ""}};
  auto task = staging_task(in);
  CHECK(task.log_source == "STG");
  CHECK(task.result_file == "/tmp/result.json");
  CHECK(task.completion_callback_url == "http://cc/done");
  CHECK(task.action.find("-buildpackOrder=python_buildpack,go_buildpack") != std::string::npos);
  CHECK(task.action.find("-skipDetect=false") != std::string::npos);
  CHECK(task.action.find("/tmp/buildpacks/go_buildpack") != std::string::npos);
  CHECK(task.action.find("http://cc/droplet") != std::string::npos);
  CHECK(bbs::parse_action(task.action).ok());
  CHECK(task.action.find("build artifacts cache") == std::string::npos);

  // With a build cache: fetched first if there is one, kept after, neither failing staging.
  in.cache_download_url = "http://cc/cache";
  in.cache_upload_url = "http://cc/cache-upload";
  task = staging_task(in);
  CHECK(task.action.find(R"({"try":{"action":{"download":{"artifact":"build artifacts cache")") !=
        std::string::npos);
  CHECK(task.action.find(R"({"try":{"action":{"upload":{"artifact":"build artifacts cache")") !=
        std::string::npos);
  CHECK(task.action.find("-outputBuildArtifactsCache=/tmp/output-cache") != std::string::npos);
  CHECK(bbs::parse_action(task.action).ok());
}

TEST_CASE("a finished staging task says what the build became, in Cloud Foundry's words") {
  auto ok = staging_outcome(
      R"({"task_guid": "b", "failed": false, "failure_reason": "", "result": )"
      R"("{\"process_types\": {\"web\": \"run\"}, \"lifecycle_metadata\": {\"detected_buildpack\": )"
      R"(\"python\", \"buildpacks\": [{\"key\": \"python_buildpack\", \"name\": \"python\", )"
      R"(\"version\": \"1.2\"}]}, \"execution_metadata\": \"\"}"})");
  REQUIRE(ok.ok());
  CHECK_FALSE(ok->failed);
  CHECK(ok->process_types_json == R"({"web":"run"})");
  CHECK(ok->buildpacks_json.find(R"("buildpack_name":"python")") != std::string::npos);
  auto reason = [](const std::string& why) {
    auto o = staging_outcome(R"({"failed": true, "failure_reason": ")" + why + R"("})");
    REQUIRE(o.ok());
    return o->error;
  };
  CHECK(reason("Exited with status 222").rfind("NoAppDetectedError - ", 0) == 0);
  CHECK(reason("Exited with status 223").rfind("BuildpackCompileFailed - ", 0) == 0);
  CHECK(reason("Exited with status 224").rfind("BuildpackReleaseFailed - ", 0) == 0);
  CHECK(reason("exceeded 15m0s timeout").rfind("StagingTimeExpired - ", 0) == 0);
  CHECK(reason("disk full") == "StagingError - Staging error: disk full");
  CHECK_FALSE(staging_outcome("not json").ok());
  auto garbage = staging_outcome(R"({"failed": false, "result": "not the builder's"})");
  REQUIRE(garbage.ok());
  CHECK(garbage->failed);
}
