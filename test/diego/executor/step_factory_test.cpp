#include "diego/executor/step_factory.h"

#include <catch2/catch.hpp>

#include "bbs/api/codec/action_codec.h"
#include "common/testing/temp_dir.h"
#include "test/diego/executor/file_server.h"
#include "test/diego/executor/harness.h"

using namespace cupola;
using namespace cupola::executor;
using namespace cupola::executor::test;

namespace {

struct FactoryHarness {
  FactoryHarness() { REQUIRE(cache.init().ok()); }

  std::unique_ptr<Step> make(std::string_view json) {
    auto action = bbs::parse_action(json);
    REQUIRE(action.ok());
    return make_step(*action, context);
  }

  Loop loop;
  FileServer server;
  cupola::testing::TempDir dir{"executor-factory"};
  http::Client client{loop.io.get_executor(), http::ClientOptions{}, loop.logger};
  DownloadCache cache{loop.io.get_executor(), client,
                      DownloadCacheOptions{.dir = (dir / "downloads").string()}, loop.logger};
  std::shared_ptr<FakeContainer> container = std::make_shared<FakeContainer>();
  std::shared_ptr<RecordingStreamer> streamer = std::make_shared<RecordingStreamer>("APP/PROC/WEB");
  StepContext context{.container = container,
                      .streamer = streamer,
                      .downloads = cache,
                      .http = client,
                      .blocking = loop.blocking,
                      .env = {{"CF_INSTANCE_INDEX", "0"}},
                      .run = RunOptions{.graceful_shutdown = 100ms},
                      .upload = UploadOptions{.temp_dir = dir.path().string()},
                      .logger = loop.logger};
};

}  // namespace

TEST_CASE("the step factory turns a staging action tree into steps") {
  FactoryHarness h;
  h.server.put("package.zip", "package");
  h.server.put("ruby.zip", "buildpack");
  h.container->put_file("/tmp/droplet", "droplet bytes");
  auto json = R"({"serial":{"actions":[
    {"emit_progress":{"action":{"download":{"artifact":"app package","from":")" +
              h.server.url("/files/package.zip") + R"(","to":"/tmp/app","user":"vcap"}},
      "start_message":"","success_message":"","failure_message_prefix":"Failed to download app package"}},
    {"parallel":{"actions":[
      {"try":{"action":{"download":{"artifact":"build artifacts cache","from":")" +
              h.server.url("/files/cache.tgz") + R"(","to":"/tmp/cache","user":"vcap"}}}},
      {"download":{"artifact":"ruby_buildpack","from":")" +
              h.server.url("/files/ruby.zip") +
              R"(","to":"/tmp/buildpacks/ruby","cache_key":"ruby-bp","user":"vcap"}}]}},
    {"run":{"path":"/tmp/lifecycle/builder","args":["-buildpackOrder=ruby"],"user":"vcap",
      "env":[{"name":"CF_STACK","value":"cupolafs"}],"log_source":"STG"}},
    {"upload":{"artifact":"droplet","from":"/tmp/droplet","to":")" +
              h.server.url("/uploads/droplet-1") + R"(","user":"vcap"}}]}})";
  h.container->set_script([](const garden::ProcessSpec&) {
    return ProcessScript{.stdout_chunks = {"-----> Ruby app detected\n"}};
  });
  auto step = h.make(json);
  REQUIRE(h.loop.perform(*step).ok());

  auto in = h.container->streamed_in();
  REQUIRE(in.size() == 2);  // the package and the buildpack; the cache was missing (try)
  CHECK(h.container->specs().at(0).env ==
        std::vector<garden::EnvVar>{{"CF_STACK", "cupolafs"}, {"CF_INSTANCE_INDEX", "0"}});
  CHECK(h.server.uploads().at(0).body == "droplet bytes");
  CHECK(h.streamer->texts("STG", "OUT") ==
        std::vector<std::string>{"-----> Ruby app detected", "Exit status 0"});
  auto app_out = h.streamer->texts("APP/PROC/WEB", "OUT");
  CHECK(std::find(app_out.begin(), app_out.end(), "Uploaded droplet (13B)") != app_out.end());
  CHECK(std::find(app_out.begin(), app_out.end(), "Downloading ruby_buildpack...") !=
        app_out.end());
}

TEST_CASE("the step factory: a failing staging process stops the tree") {
  FactoryHarness h;
  h.container->set_script([](const garden::ProcessSpec& spec) {
    return ProcessScript{.exit_status = spec.path == "/bin/false" ? 1 : 0};
  });
  auto step = h.make(R"({"serial":{"actions":[
    {"run":{"path":"/bin/false","user":"vcap","log_source":"STG"}},
    {"run":{"path":"/bin/true","user":"vcap"}}]}})");
  CHECK(has_message(h.loop.perform(*step), "STG: Exited with status 1"));
  CHECK(h.container->run_count() == 1);
}

TEST_CASE("the step factory: an app and its codependent sidecar") {
  FactoryHarness h;
  h.container->set_script([](const garden::ProcessSpec& spec) {
    ProcessScript s;
    if (spec.path == "/app") s.exit_status = std::nullopt;  // runs until stopped
    return s;
  });
  auto step = h.make(R"({"codependent":{"actions":[
    {"run":{"path":"/app","user":"vcap"}},
    {"timeout":{"action":{"run":{"path":"/sidecar","user":"vcap"}},"timeout_ms":5000}}]}})");
  auto result = h.loop.perform(*step);
  CHECK(has_message(result, "Codependent step exited"));
  // The app was stopped with SIGTERM when its sibling ended.
  auto processes = h.container->processes();
  auto specs = h.container->specs();
  REQUIRE(processes.size() == 2);
  auto app = specs[0].path == "/app" ? processes[0] : processes[1];
  CHECK(app->signals() == std::vector<int>{SIGTERM});
}
