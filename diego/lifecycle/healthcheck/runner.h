#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/core/result.h"
#include "diego/lifecycle/healthcheck/options.h"

namespace cupola::lifecycle {

inline constexpr int kExitHealthy = 0;
inline constexpr int kExitUnhealthy = 1;
inline constexpr int kExitUsage = 2;

// Time as the check loop sees it; tests pass a fake that advances only when told.
class CheckClock {
 public:
  virtual ~CheckClock() = default;
  virtual std::chrono::steady_clock::time_point now() = 0;
  virtual void sleep_until(std::chrono::steady_clock::time_point t) = 0;
};

class SteadyCheckClock final : public CheckClock {
 public:
  // CheckClock
  std::chrono::steady_clock::time_point now() override;
  void sleep_until(std::chrono::steady_clock::time_point t) override;
};

// One check bounded by `limit`; the error's message is the failure to report.
using Check = std::function<Status(std::chrono::nanoseconds limit)>;

struct Verdict {
  int exit_code = kExitHealthy;
  std::string message;  // empty when healthy
};

// Runs checks as options.mode says and returns how the process should exit:
// - Once: one check.
// - UntilReady: a check every interval (measured from the start of the previous one) until
//   one passes; once options.startup_timeout has passed since the start, the last failure is
//   reported ("Timed out after ..."). A check never runs past that deadline.
// - Liveness, Readiness: a check, then a pause of one interval, for as long as they pass;
//   the first failure is reported.
Verdict run_checks(const HealthcheckOptions& options, const Check& check, CheckClock& clock);

}  // namespace cupola::lifecycle
