#include "diego/lifecycle/healthcheck/runner.h"

#include <deque>
#include <system_error>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using namespace cupola::lifecycle;
using cupola::Status;
using TimePoint = std::chrono::steady_clock::time_point;

namespace {

class FakeClock final : public CheckClock {
 public:
  // CheckClock
  TimePoint now() override { return now_; }
  void sleep_until(TimePoint t) override {
    sleeps.push_back(t - now_);
    if (t > now_) now_ = t;
  }

  void advance(std::chrono::nanoseconds d) { now_ += d; }
  std::chrono::nanoseconds elapsed() const { return now_ - TimePoint{}; }

  std::vector<std::chrono::nanoseconds> sleeps;

 private:
  TimePoint now_{};
};

struct Outcome {
  bool healthy;
  std::chrono::nanoseconds takes;
};

// A check that plays back scripted outcomes (the last one repeats) and records its limits.
struct ScriptedCheck {
  FakeClock& clock;
  std::deque<Outcome> script;
  std::vector<std::chrono::nanoseconds> limits;
  int calls = 0;

  Check as_check() {
    return [this](std::chrono::nanoseconds limit) -> Status {
      ++calls;
      limits.push_back(limit);
      Outcome o = script.front();
      if (script.size() > 1) script.pop_front();
      auto took = std::min(o.takes, limit);
      clock.advance(took);
      if (o.healthy) return {};
      return cupola::Error{std::make_error_code(std::errc::connection_refused),
                           "failure " + std::to_string(calls)};
    };
  }
};

HealthcheckOptions options(CheckMode mode, std::chrono::nanoseconds interval) {
  HealthcheckOptions o;
  o.port = 8080;
  o.mode = mode;
  o.interval = interval;
  return o;
}

}  // namespace

TEST_CASE("running health checks by mode") {
  FakeClock clock;

  SECTION("when checking once") {
    auto o = options(CheckMode::Once, 0s);
    SECTION("and the check passes, the verdict is healthy") {
      ScriptedCheck check{clock, {{true, 5ms}}};
      auto v = run_checks(o, check.as_check(), clock);
      CHECK(v.exit_code == kExitHealthy);
      CHECK(v.message.empty());
      CHECK(check.limits == std::vector<std::chrono::nanoseconds>{1s});
    }
    SECTION("and the check fails, its failure is the message") {
      ScriptedCheck check{clock, {{false, 5ms}}};
      auto v = run_checks(o, check.as_check(), clock);
      CHECK(v.exit_code == kExitUnhealthy);
      CHECK(v.message == "failure 1");
      CHECK(check.calls == 1);
    }
  }

  SECTION("when waiting until ready") {
    auto o = options(CheckMode::UntilReady, 100ms);
    o.startup_timeout = 1s;
    SECTION("and a check passes in time, the verdict is healthy at once") {
      ScriptedCheck check{clock, {{false, 10ms}, {false, 10ms}, {true, 10ms}}};
      auto v = run_checks(o, check.as_check(), clock);
      CHECK(v.exit_code == kExitHealthy);
      CHECK(check.calls == 3);
      // Checks start an interval apart, however long each took.
      CHECK(clock.elapsed() == 210ms);
    }
    SECTION("and no check passes, it gives up at the startup timeout with the last failure") {
      ScriptedCheck check{clock, {{false, 10ms}}};
      auto v = run_checks(o, check.as_check(), clock);
      CHECK(v.exit_code == kExitUnhealthy);
      CHECK(v.message ==
            "Timed out after 1s (10 attempts) waiting for startup check to succeed: failure 10");
      CHECK(clock.elapsed() == 1s);
    }
    SECTION("and checks are slow, none runs past the startup timeout") {
      o.timeout = 400ms;
      ScriptedCheck check{clock, {{false, 10s}}};
      auto v = run_checks(o, check.as_check(), clock);
      CHECK(check.limits == std::vector<std::chrono::nanoseconds>{400ms, 400ms, 200ms});
      CHECK(v.message.find("(3 attempts)") != std::string::npos);
      CHECK(clock.elapsed() == 1s);
    }
    SECTION("and the startup timeout is zero, it keeps checking") {
      o.startup_timeout = 0s;
      ScriptedCheck check{clock,
                          {{false, 1ms},
                           {false, 1ms},
                           {false, 1ms},
                           {false, 1ms},
                           {false, 1ms},
                           {false, 1ms},
                           {false, 1ms},
                           {false, 1ms},
                           {false, 1ms},
                           {false, 1ms},
                           {false, 1ms},
                           {true, 1ms}}};
      auto v = run_checks(o, check.as_check(), clock);
      CHECK(v.exit_code == kExitHealthy);
      CHECK(check.calls == 12);
      CHECK(clock.elapsed() > 1s);
    }
    SECTION("and the clock oversleeps past the deadline, the last complete attempt is reported") {
      class LateClock final : public CheckClock {
       public:
        TimePoint now() override { return now_; }
        void sleep_until(TimePoint t) override { now_ = t + 2s; }
        TimePoint now_{};
      } late;
      ScriptedCheck check{clock, {{false, 0s}}};
      auto v = run_checks(o, check.as_check(), late);
      CHECK(check.calls == 1);
      CHECK(v.message ==
            "Timed out after 1s (1 attempts) waiting for startup check to succeed: failure 1");
    }
  }

  SECTION("when watching liveness") {
    auto o = options(CheckMode::Liveness, 30s);
    ScriptedCheck check{clock, {{true, 2ms}, {true, 2ms}, {true, 2ms}, {false, 2ms}}};
    auto v = run_checks(o, check.as_check(), clock);
    CHECK(v.exit_code == kExitUnhealthy);
    CHECK(v.message == "Liveness check unsuccessful: failure 4");
    // A full interval passes between the end of one check and the start of the next.
    CHECK(clock.sleeps == std::vector<std::chrono::nanoseconds>{30s, 30s, 30s});
    CHECK(clock.elapsed() == 90s + 8ms);
  }

  SECTION("when watching readiness, the failure says so") {
    auto o = options(CheckMode::Readiness, 1s);
    ScriptedCheck check{clock, {{true, 1ms}, {false, 1ms}}};
    auto v = run_checks(o, check.as_check(), clock);
    CHECK(v.message == "Readiness check unsuccessful: failure 2");
  }
}
