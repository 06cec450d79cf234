#include "diego/executor/steps/run_step.h"

#include <csignal>

#include <catch2/catch.hpp>

#include "test/diego/executor/harness.h"

using namespace cupola;
using namespace cupola::executor;
using namespace cupola::executor::test;

namespace {

struct RunHarness {
  Loop loop;
  std::shared_ptr<FakeContainer> container = std::make_shared<FakeContainer>();
  std::shared_ptr<RecordingStreamer> streamer = std::make_shared<RecordingStreamer>("APP/PROC/WEB");
  RunOptions options{.graceful_shutdown = 200ms, .exit_timeout = 200ms};

  std::unique_ptr<RunStep> step(bbs::RunAction action, std::vector<garden::EnvVar> env = {}) {
    return std::make_unique<RunStep>(container, std::move(action), std::move(env),
                                     streamer->with_source(""), loop.blocking, options,
                                     loop.logger);
  }
  void script(ProcessScript s) {
    container->set_script([s](const garden::ProcessSpec&) { return s; });
  }
  std::shared_ptr<FakeProcess> process() {
    loop.run_until([&] { return !container->processes().empty(); });
    return container->processes().front();
  }
};

bbs::RunAction app() {
  return bbs::RunAction{
      .path = "/tmp/lifecycle/launcher", .args = {"app", "bundle exec rackup"}, .user = "vcap"};
}

}  // namespace

TEST_CASE("a run step runs a process in the container") {
  RunHarness h;

  SECTION("it passes the action's spec, and the executor's env after the action's own") {
    auto action = app();
    action.dir = "/home/vcap/app";
    action.env = {{"PORT", "8080"}, {"LANG", "C"}};
    action.resource_limits.nofile = 1024;
    action.user = "root";
    auto step = h.step(action, {{"CF_INSTANCE_INDEX", "0"}});
    REQUIRE(h.loop.perform(*step).ok());
    auto specs = h.container->specs();
    REQUIRE(specs.size() == 1);
    CHECK(specs[0].path == "/tmp/lifecycle/launcher");
    CHECK(specs[0].args == std::vector<std::string>{"app", "bundle exec rackup"});
    CHECK(specs[0].dir == "/home/vcap/app");
    CHECK(specs[0].user == "root");
    CHECK(specs[0].nofile == 1024);
    CHECK(specs[0].env ==
          std::vector<garden::EnvVar>{{"PORT", "8080"}, {"LANG", "C"}, {"CF_INSTANCE_INDEX", "0"}});
  }
  SECTION("its output goes to the log stream line by line, then its exit status") {
    h.script(ProcessScript{.stdout_chunks = {"listening", " on 8080\nready\n"},
                           .stderr_chunks = {"warning: x\n"}});
    auto step = h.step(app());
    REQUIRE(h.loop.perform(*step).ok());
    CHECK(h.streamer->texts("APP/PROC/WEB", "OUT") ==
          std::vector<std::string>{"listening on 8080", "ready", "Exit status 0"});
    CHECK(h.streamer->texts("APP/PROC/WEB", "ERR") == std::vector<std::string>{"warning: x"});
  }
  SECTION("a non-zero exit fails it with the source and the status") {
    h.script(ProcessScript{.exit_status = 1});
    auto step = h.step(app());
    auto result = h.loop.perform(*step);
    CHECK(has_message(result, "APP/PROC/WEB: Exited with status 1"));
    CHECK(result.error().code == make_error_code(StepErrc::Failed));
    CHECK(h.streamer->texts("APP/PROC/WEB", "OUT") == std::vector<std::string>{"Exit status 1"});
  }
  SECTION("a staging process fails under its own source") {
    h.script(ProcessScript{.exit_status = 222});
    auto action = app();
    action.log_source = "STG";
    auto step = std::make_unique<RunStep>(h.container, action, std::vector<garden::EnvVar>{},
                                          h.streamer->with_source("STG"), h.loop.blocking,
                                          h.options, h.loop.logger);
    CHECK(has_message(h.loop.perform(*step), "STG: Exited with status 222"));
  }
  SECTION("a process killed for its memory says so") {
    h.script(ProcessScript{.exit_status = 137, .oom_killed = true});
    auto step = h.step(app());
    CHECK(
        has_message(h.loop.perform(*step), "APP/PROC/WEB: Exited with status 137 (out of memory)"));
    CHECK(h.streamer->texts("APP/PROC/WEB", "OUT") ==
          std::vector<std::string>{"Exit status 137 (out of memory)"});
  }
  SECTION("suppressed output and exit status stay out of the log stream") {
    h.script(ProcessScript{.stdout_chunks = {"secret\n"}, .exit_status = 4});
    auto action = app();
    action.suppress_log_output = true;
    auto step = h.step(action);
    CHECK(has_message(h.loop.perform(*step), "APP/PROC/WEB: Exited with status 4"));
    CHECK(h.streamer->lines().empty());
  }
  SECTION("a process that cannot start fails the step with the container's error") {
    h.container->fail_runs(make_error(make_error_code(Errc::Internal), "runc create failed"));
    auto step = h.step(app());
    auto result = h.loop.perform(*step);
    CHECK(has_message(result, "runc create failed"));
    CHECK(h.streamer->texts("APP/PROC/WEB", "OUT") ==
          std::vector<std::string>{"failed-creating-process: runc create failed"});
  }
}

TEST_CASE("cancelling a run step stops its process") {
  RunHarness h;

  SECTION("a process that exits on SIGTERM ends the step as cancelled") {
    h.script(ProcessScript{.exit_status = std::nullopt});
    auto step = h.step(app());
    auto result = h.loop.start(*step);
    auto process = h.process();
    step->cancel();
    h.loop.run_until([&] { return result->has_value(); });
    CHECK(process->signals() == std::vector<int>{SIGTERM});
    REQUIRE_FALSE(result->value().ok());
    CHECK(is_cancelled(result->value().error()));
    CHECK(h.streamer->texts("APP/PROC/WEB", "OUT") == std::vector<std::string>{"Exit status 143"});
  }
  SECTION("a process that ignores SIGTERM gets SIGKILL after the grace period") {
    h.script(ProcessScript{.exit_status = std::nullopt, .on_sigterm = std::nullopt});
    auto step = h.step(app());
    auto result = h.loop.start(*step);
    auto process = h.process();
    auto cancelled_at = std::chrono::steady_clock::now();
    step->cancel();
    h.loop.run_until([&] { return process->signals().size() == 1; });
    CHECK(process->signals() == std::vector<int>{SIGTERM});
    h.loop.run_until([&] { return result->has_value(); });
    CHECK(std::chrono::steady_clock::now() - cancelled_at >= 200ms);
    CHECK(process->signals() == std::vector<int>{SIGTERM, SIGKILL});
    REQUIRE_FALSE(result->value().ok());
    CHECK(is_cancelled(result->value().error()));
    CHECK(result->value().error().message == "exceeded graceful shutdown interval");
    CHECK(h.streamer->texts("APP/PROC/WEB", "OUT") ==
          std::vector<std::string>{"Exit status 137 (exceeded 200ms graceful shutdown interval)"});
  }
  SECTION("a process that survives SIGKILL is given up on") {
    h.script(ProcessScript{
        .exit_status = std::nullopt, .on_sigterm = std::nullopt, .survives_kill = true});
    auto step = h.step(app());
    auto result = h.loop.start(*step);
    auto process = h.process();
    step->cancel();
    h.loop.run_until([&] { return result->has_value(); });
    CHECK(process->signals() == std::vector<int>{SIGTERM, SIGKILL});
    CHECK(result->value().error().message == "process did not exit");
    process->exit(137);  // lets the fake's threads finish
  }
  SECTION("cancelled before it starts, it starts no process") {
    auto step = h.step(app());
    step->cancel();
    auto result = h.loop.perform(*step);
    CHECK(is_cancelled(result.error()));
    CHECK(h.container->run_count() == 0);
  }
}
