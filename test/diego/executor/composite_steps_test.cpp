#include <catch2/catch.hpp>

#include "diego/executor/steps/codependent_step.h"
#include "diego/executor/steps/emit_progress_step.h"
#include "diego/executor/steps/parallel_step.h"
#include "diego/executor/steps/serial_step.h"
#include "diego/executor/steps/timeout_step.h"
#include "diego/executor/steps/try_step.h"
#include "test/diego/executor/harness.h"

using namespace cupola;
using namespace cupola::executor;
using namespace cupola::executor::test;

namespace {

// Steps the test keeps pointers to while a composite owns them.
struct Scripted {
  std::vector<std::unique_ptr<Step>> owned;
  std::vector<ScriptedStep*> steps;

  ScriptedStep& add(Status result = {}, bool held = false) {
    auto s = std::make_unique<ScriptedStep>(std::move(result), held);
    steps.push_back(s.get());
    owned.push_back(std::move(s));
    return *steps.back();
  }
  std::vector<std::unique_ptr<Step>> take() { return std::move(owned); }
};

Status failed(std::string message) { return step_failed(std::move(message)); }

}  // namespace

TEST_CASE("a serial step") {
  Loop loop;
  Scripted s;

  SECTION("performs its steps one after another") {
    auto& first = s.add({}, true);
    auto& second = s.add();
    SerialStep serial(s.take());
    auto result = loop.start(serial);
    loop.run_until([&] { return first.started; });
    CHECK_FALSE(second.started);
    first.release({});
    loop.run_until([&] { return result->has_value(); });
    CHECK(second.started);
    CHECK(result->value().ok());
  }
  SECTION("stops at the first failure and fails with it") {
    s.add();
    s.add(failed("APP/PROC/WEB: Exited with status 2"));
    auto& third = s.add();
    SerialStep serial(s.take());
    auto result = loop.perform(serial);
    CHECK(has_message(result, "APP/PROC/WEB: Exited with status 2"));
    CHECK_FALSE(third.started);
  }
  SECTION("cancel cancels the running step and starts no other") {
    auto& first = s.add({}, true);
    auto& second = s.add();
    SerialStep serial(s.take());
    auto result = loop.start(serial);
    loop.run_until([&] { return first.started; });
    serial.cancel();
    loop.run_until([&] { return result->has_value(); });
    CHECK(first.cancelled);
    CHECK_FALSE(second.started);
    REQUIRE_FALSE(result->value().ok());
    CHECK(is_cancelled(result->value().error()));
  }
  SECTION("cancelled before it starts, it performs nothing") {
    auto& first = s.add();
    SerialStep serial(s.take());
    serial.cancel();
    auto result = loop.perform(serial);
    CHECK(is_cancelled(result.error()));
    CHECK_FALSE(first.started);
  }
}

TEST_CASE("a parallel step") {
  Loop loop;
  Scripted s;

  SECTION("starts every step at once and waits for all of them") {
    auto& slow = s.add({}, true);
    auto& quick = s.add(failed("Downloading droplet failed"));
    auto& other = s.add(failed("Copying buildpack into the container failed: disk full"));
    ParallelStep parallel(s.take());
    auto result = loop.start(parallel);
    loop.run_until([&] { return quick.finished && other.finished; });
    CHECK(slow.started);
    CHECK_FALSE(slow.cancelled);  // a failure does not stop the others
    CHECK_FALSE(result->has_value());
    slow.release(failed("exceeded 1s timeout"));
    loop.run_until([&] { return result->has_value(); });
    CHECK(has_message(result->value(),
                      "exceeded 1s timeout; Downloading droplet failed; Copying buildpack into "
                      "the container failed: disk full"));
  }
  SECTION("succeeds when every step succeeded") {
    s.add();
    s.add();
    ParallelStep parallel(s.take());
    CHECK(loop.perform(parallel).ok());
  }
  SECTION("cancel cancels every step; cancellations add no message") {
    auto& a = s.add({}, true);
    auto& b = s.add({}, true);
    ParallelStep parallel(s.take());
    auto result = loop.start(parallel);
    loop.run_until([&] { return a.started && b.started; });
    parallel.cancel();
    loop.run_until([&] { return result->has_value(); });
    CHECK(a.cancelled);
    CHECK(b.cancelled);
    REQUIRE_FALSE(result->value().ok());
    CHECK(is_cancelled(result->value().error()));
    CHECK(result->value().error().message == "cancelled");
  }
}

TEST_CASE("a codependent step") {
  Loop loop;
  Scripted s;

  SECTION("the first failure cancels the others and is the step's failure") {
    auto& app = s.add({}, true);
    auto& monitor = s.add({}, true);
    CodependentStep codependent(s.take());
    auto result = loop.start(codependent);
    loop.run_until([&] { return app.started && monitor.started; });
    monitor.release(failed("Instance never healthy after 1m0s: connection refused"));
    loop.run_until([&] { return result->has_value(); });
    CHECK(app.cancelled);
    CHECK(has_message(result->value(), "Instance never healthy after 1m0s: connection refused"));
  }
  SECTION("a step that ends successfully ends the others too, as a failure") {
    auto& app = s.add({}, true);
    auto& sidecar = s.add({}, true);
    CodependentStep codependent(s.take());
    auto result = loop.start(codependent);
    loop.run_until([&] { return app.started && sidecar.started; });
    app.release({});
    loop.run_until([&] { return result->has_value(); });
    CHECK(sidecar.cancelled);
    CHECK(has_message(result->value(), "Codependent step exited"));
    CHECK(result->value().error().code == make_error_code(StepErrc::Failed));
  }
  SECTION("siblings that fail while being cancelled add their messages") {
    auto& app = s.add({}, true);
    auto& other = s.add({}, true);
    CodependentStep codependent(s.take());
    auto result = loop.start(codependent);
    loop.run_until([&] { return app.started && other.started; });
    other.release(failed("first"));
    app.release(failed("second"));
    loop.run_until([&] { return result->has_value(); });
    CHECK(has_message(result->value(), "second; first"));
  }
  SECTION("cancel from outside is a cancellation") {
    auto& app = s.add({}, true);
    CodependentStep codependent(s.take());
    auto result = loop.start(codependent);
    loop.run_until([&] { return app.started; });
    codependent.cancel();
    loop.run_until([&] { return result->has_value(); });
    CHECK(is_cancelled(result->value().error()));
  }
}

TEST_CASE("a timeout step") {
  Loop loop;
  Scripted s;

  SECTION("passes on the result of a step that ends in time") {
    s.add(failed("APP/PROC/WEB: Exited with status 3"));
    TimeoutStep timeout(std::move(s.take().front()), 10s, loop.logger);
    CHECK(has_message(loop.perform(timeout), "APP/PROC/WEB: Exited with status 3"));
  }
  SECTION("cancels a step that runs too long and fails with Diego's message") {
    auto& slow = s.add({}, true);
    TimeoutStep timeout(std::move(s.take().front()), 50ms, loop.logger);
    auto began = std::chrono::steady_clock::now();
    auto result = loop.perform(timeout);
    CHECK(std::chrono::steady_clock::now() - began >= 50ms);
    CHECK(slow.cancelled);
    CHECK(has_message(result, "exceeded 50ms timeout"));
    CHECK(result.error().code == make_error_code(Errc::Timeout));
  }
  SECTION("adds the step's own failure when it failed otherwise than by the cancel") {
    auto& slow = s.add({}, true);
    TimeoutStep timeout(std::move(s.take().front()), 1500ms, loop.logger);
    auto result = loop.start(timeout);
    loop.run_until([&] { return slow.cancelled; });
    slow.release(failed("Downloading droplet failed"));
    loop.run_until([&] { return result->has_value(); });
    CHECK(has_message(result->value(), "exceeded 1.5s timeout; Downloading droplet failed"));
  }
  SECTION("cancel passes through to the step") {
    auto& slow = s.add({}, true);
    TimeoutStep timeout(std::move(s.take().front()), 10s, loop.logger);
    auto result = loop.start(timeout);
    loop.run_until([&] { return slow.started; });
    timeout.cancel();
    loop.run_until([&] { return result->has_value(); });
    CHECK(is_cancelled(result->value().error()));
  }
}

TEST_CASE("a try step") {
  Loop loop;
  Scripted s;

  SECTION("succeeds when its step fails, and logs the failure") {
    s.add(failed("Downloading build artifacts cache failed"));
    TryStep step(std::move(s.take().front()), loop.logger);
    CHECK(loop.perform(step).ok());
    auto lines = loop.sink->lines();
    CHECK(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
      return l.find("try-step.failed") != std::string::npos &&
             l.find("Downloading build artifacts cache failed") != std::string::npos;
    }));
  }
  SECTION("a cancelled try is a cancellation, so that the tree stops") {
    auto& inner = s.add({}, true);
    TryStep step(std::move(s.take().front()), loop.logger);
    auto result = loop.start(step);
    loop.run_until([&] { return inner.started; });
    step.cancel();
    loop.run_until([&] { return result->has_value(); });
    CHECK(inner.cancelled);
    CHECK(is_cancelled(result->value().error()));
  }
}

TEST_CASE("an emit_progress step") {
  Loop loop;
  Scripted s;
  auto streamer = std::make_shared<RecordingStreamer>("STG");
  ProgressMessages messages{"Downloading app package...", "Downloaded app package",
                            "Failed to download app package"};

  SECTION("writes the start and success messages to stdout") {
    s.add();
    EmitProgressStep step(std::move(s.take().front()), messages, streamer, loop.logger);
    CHECK(loop.perform(step).ok());
    CHECK(streamer->lines() == std::vector<LogLine>{{"STG", "OUT", "Downloading app package..."},
                                                    {"STG", "OUT", "Downloaded app package"}});
  }
  SECTION("writes the failure prefix and the failure to stderr and passes the failure on") {
    s.add(failed("Downloading failed"));
    EmitProgressStep step(std::move(s.take().front()), messages, streamer, loop.logger);
    auto result = loop.perform(step);
    CHECK(has_message(result, "Downloading failed"));
    CHECK(
        streamer->lines() ==
        std::vector<LogLine>{{"STG", "OUT", "Downloading app package..."},
                             {"STG", "ERR", "Failed to download app package: Downloading failed"}});
  }
  SECTION("a cancellation gets the prefix alone; empty messages are not written") {
    auto& inner = s.add({}, true);
    EmitProgressStep step(std::move(s.take().front()), ProgressMessages{"", "done", "Stopped"},
                          streamer, loop.logger);
    auto result = loop.start(step);
    loop.run_until([&] { return inner.started; });
    step.cancel();
    loop.run_until([&] { return result->has_value(); });
    CHECK(is_cancelled(result->value().error()));
    CHECK(streamer->lines() == std::vector<LogLine>{{"STG", "ERR", "Stopped"}});
  }
}
