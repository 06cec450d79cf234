#include "diego/executor/steps/monitor_step.h"

#include <catch2/catch.hpp>

#include "diego/executor/step_factory.h"
#include "test/diego/executor/harness.h"

using namespace cupola;
using namespace cupola::executor;
using namespace cupola::executor::test;

namespace {

using Steady = std::chrono::steady_clock;

// Checks whose outcomes come from a list (the last repeats); each records when it ran.
struct Checks {
  struct Outcome {
    bool healthy;
    std::string output;
  };
  std::vector<Outcome> outcomes;
  std::vector<Steady::time_point> ran_at;

  CheckFactory factory() {
    return [this](std::shared_ptr<LogStreamer> output) -> std::unique_ptr<Step> {
      auto i = std::min(ran_at.size(), outcomes.size() - 1);
      ran_at.push_back(Steady::now());
      output->err(outcomes[i].output);
      return std::make_unique<ScriptedStep>(
          outcomes[i].healthy ? Status{} : step_failed("APP/PROC/WEB: Exited with status 1"));
    };
  }
};

struct MonitorHarness {
  Loop loop;
  std::shared_ptr<RecordingStreamer> streamer = std::make_shared<RecordingStreamer>("APP/PROC/WEB");
  Checks checks;
  int healthy_calls = 0;
  MonitorOptions options{.start_timeout = 300ms,
                         .first_interval = 10ms,
                         .unhealthy_interval = 40ms,
                         .healthy_interval = 20ms};

  std::unique_ptr<MonitorStep> step() {
    return std::make_unique<MonitorStep>(
        checks.factory(), streamer, options, [this] { ++healthy_calls; }, loop.logger);
  }
};

}  // namespace

TEST_CASE("a monitor step watches an instance's health") {
  MonitorHarness h;

  SECTION("an instance that never passes fails after the start timeout with the last output") {
    h.checks.outcomes = {
        {false, "Failed to make TCP connection to port 8080: connection refused\n"}};
    auto step = h.step();
    auto began = Steady::now();
    auto result = h.loop.perform(*step);
    CHECK(Steady::now() - began >= 300ms);
    CHECK(has_message(result,
                      "Instance never healthy after 300ms: Failed to make TCP connection "
                      "to port 8080: connection refused"));
    CHECK(result.error().code == make_error_code(StepErrc::Failed));
    CHECK(h.healthy_calls == 0);
    CHECK(h.streamer->texts("CELL", "OUT") ==
          std::vector<std::string>{"Starting health monitoring of container"});
    CHECK(h.streamer->texts("CELL", "ERR") ==
          std::vector<std::string>{"Failed after 300ms: startup health check never passed."});
    CHECK(
        h.streamer->texts("HEALTH", "ERR") ==
        std::vector<std::string>{"Failed to make TCP connection to port 8080: connection refused"});

    // The first check at once, then waits of 10, 20, 40, 40, ... ms.
    const auto& at = h.checks.ran_at;
    REQUIRE(at.size() >= 5);
    CHECK(at[0] - began < 250ms);
    CHECK(at[1] - at[0] >= 10ms);
    CHECK(at[2] - at[1] >= 20ms);
    CHECK(at[3] - at[2] >= 40ms);
    CHECK(at[4] - at[3] >= 40ms);
    // No more checks than waits of at least that long allow within the timeout, plus one at
    // the deadline.
    CHECK(at.size() <= 10);
  }
  SECTION("a healthy instance that fails a later check became unhealthy") {
    h.checks.outcomes = {{false, "not yet"}, {true, ""}, {true, ""}, {false, "boom\n"}};
    auto step = h.step();
    auto result = h.loop.perform(*step);
    CHECK(has_message(result, "Instance became unhealthy: boom"));
    CHECK(h.healthy_calls == 1);
    CHECK(h.checks.ran_at.size() == 4);
    CHECK(h.checks.ran_at[2] - h.checks.ran_at[1] >= 20ms);
    CHECK(h.checks.ran_at[3] - h.checks.ran_at[2] >= 20ms);
    CHECK(h.streamer->texts("CELL", "OUT") ==
          std::vector<std::string>{"Starting health monitoring of container",
                                   "Container became healthy"});
    CHECK(h.streamer->texts("CELL", "ERR") ==
          std::vector<std::string>{"Container became unhealthy"});
    CHECK(h.streamer->texts("HEALTH", "ERR") == std::vector<std::string>{"boom"});
  }
  SECTION("a check without output fails with the check's own failure") {
    h.checks.outcomes = {{true, ""}, {false, ""}};
    auto step = h.step();
    CHECK(has_message(h.loop.perform(*step),
                      "Instance became unhealthy: APP/PROC/WEB: Exited with status 1"));
  }
  SECTION("cancel stops a healthy monitor") {
    h.checks.outcomes = {{true, ""}};
    h.options.healthy_interval = 10s;
    auto step = h.step();
    auto result = h.loop.start(*step);
    h.loop.run_until([&] { return h.healthy_calls == 1; });
    step->cancel();
    h.loop.run_until([&] { return result->has_value(); }, 1s);
    CHECK(is_cancelled(result->value().error()));
    CHECK(h.checks.ran_at.size() == 1);
  }
}

TEST_CASE("the monitor step factory builds checks from the monitor action") {
  Loop loop;
  auto container = std::make_shared<FakeContainer>();
  auto streamer = std::make_shared<RecordingStreamer>("APP/PROC/WEB");
  http::Client client(loop.io.get_executor(), http::ClientOptions{}, loop.logger);
  DownloadCache cache(loop.io.get_executor(), client, DownloadCacheOptions{}, loop.logger);
  StepContext context{.container = container,
                      .streamer = streamer,
                      .downloads = cache,
                      .http = client,
                      .blocking = loop.blocking,
                      .env = {},
                      .run = {},
                      .upload = {},
                      .logger = loop.logger};
  // The check's process prints why it failed and exits 1; the output becomes the reason.
  container->set_script([](const garden::ProcessSpec&) {
    return ProcessScript{
        .stdout_chunks = {"Failed to make TCP connection to port 8080: connection refused\n"},
        .exit_status = 1};
  });
  bbs::Action check{
      bbs::TimeoutAction{.action = bbs::Action{bbs::RunAction{.path = "/tmp/lifecycle/healthcheck",
                                                              .args = {"-port=8080"},
                                                              .user = "vcap",
                                                              .log_source = "HEALTH",
                                                              .suppress_log_output = true}},
                         .timeout_ms = 10'000}};
  auto step = make_monitor_step(check, context,
                                MonitorOptions{.start_timeout = 60ms,
                                               .first_interval = 10ms,
                                               .unhealthy_interval = 20ms,
                                               .healthy_interval = 20ms},
                                [] {});
  auto result = loop.perform(*step);
  CHECK(has_message(result,
                    "Instance never healthy after 60ms: Failed to make TCP connection to "
                    "port 8080: connection refused"));
  CHECK(container->run_count() >= 2);
  // Neither "Exit status 1" nor the check's output went to the stream as the app's.
  CHECK(streamer->texts("APP/PROC/WEB", "OUT").empty());
  CHECK(streamer->texts("HEALTH", "OUT").empty());
  CHECK(streamer->texts("HEALTH", "ERR") ==
        std::vector<std::string>{"Failed to make TCP connection to port 8080: connection refused"});
}
