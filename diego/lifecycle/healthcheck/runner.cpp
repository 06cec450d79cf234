#include "diego/lifecycle/healthcheck/runner.h"

#include <algorithm>
#include <thread>

#include "diego/lifecycle/healthcheck/messages.h"

namespace cupola::lifecycle {

std::chrono::steady_clock::time_point SteadyCheckClock::now() {
  return std::chrono::steady_clock::now();
}

void SteadyCheckClock::sleep_until(std::chrono::steady_clock::time_point t) {
  std::this_thread::sleep_until(t);
}

namespace {

Verdict unhealthy(std::string message) { return {kExitUnhealthy, std::move(message)}; }

Verdict until_ready(const HealthcheckOptions& o, const Check& check, CheckClock& clock) {
  const bool limited = o.startup_timeout.count() > 0;
  const auto deadline = clock.now() + o.startup_timeout;
  std::string last_failure;
  for (int attempt = 1;; ++attempt) {
    const auto started = clock.now();
    if (limited && started >= deadline) {
      // Overslept the deadline: the previous attempt's failure is the last word.
      return unhealthy(startup_timed_out(o.startup_timeout, attempt - 1, last_failure));
    }
    auto limit = o.timeout;
    if (limited) limit = std::min<std::chrono::nanoseconds>(limit, deadline - started);
    Status st = check(limit);
    if (st) return {};
    last_failure = st.error().message;
    const auto next = started + o.interval;
    if (limited && std::max(clock.now(), next) >= deadline) {
      clock.sleep_until(deadline);
      return unhealthy(startup_timed_out(o.startup_timeout, attempt, last_failure));
    }
    clock.sleep_until(next);
  }
}

Verdict while_healthy(const HealthcheckOptions& o, const Check& check, CheckClock& clock) {
  while (true) {
    Status st = check(o.timeout);
    if (!st) {
      return unhealthy(o.mode == CheckMode::Liveness ? liveness_failed(st.error().message)
                                                     : readiness_failed(st.error().message));
    }
    clock.sleep_until(clock.now() + o.interval);
  }
}

}  // namespace

Verdict run_checks(const HealthcheckOptions& options, const Check& check, CheckClock& clock) {
  switch (options.mode) {
    case CheckMode::Once:
      break;
    case CheckMode::UntilReady:
      return until_ready(options, check, clock);
    case CheckMode::Liveness:
    case CheckMode::Readiness:
      return while_healthy(options, check, clock);
  }
  Status st = check(options.timeout);
  if (st) return {};
  return unhealthy(st.error().message);
}

}  // namespace cupola::lifecycle
