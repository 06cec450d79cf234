#include "bbs/src/convergence/restart_policy.h"

#include <algorithm>
#include <limits>

namespace cupola::bbs {

std::optional<std::chrono::nanoseconds> restart_backoff(std::int32_t crash_count) {
  if (crash_count < kDefaultImmediateRestarts) return std::chrono::nanoseconds{0};
  if (crash_count >= kDefaultMaxRestarts) return std::nullopt;
  const std::int32_t doublings =
      std::min(crash_count - kDefaultImmediateRestarts, kMaxBackoffCount);
  return std::min(kCrashBackoffMinDuration * (std::int64_t{1} << doublings),
                  kDefaultMaxBackoffDuration);
}

std::optional<std::int64_t> restart_due_at(std::int64_t crashed_at_since,
                                           std::int32_t crash_count) {
  const auto backoff = restart_backoff(crash_count);
  if (!backoff) return std::nullopt;
  // Saturate rather than wrap for a nonsensical `since` near the end of time.
  if (crashed_at_since > std::numeric_limits<std::int64_t>::max() - backoff->count()) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return crashed_at_since + backoff->count();
}

bool should_restart(std::int64_t now, std::int64_t crashed_at_since, std::int32_t crash_count) {
  const auto due = restart_due_at(crashed_at_since, crash_count);
  return due && *due <= now;
}

std::int32_t next_crash_count(ActualLrpState state, std::int64_t since, std::int32_t crash_count,
                              std::int64_t now) {
  // Compare as "now - since > timeout" without forming a difference that could overflow.
  const bool ran_long_enough =
      state == ActualLrpState::Running && since < now - kCrashResetTimeout.count();
  if (ran_long_enough) return 1;
  if (crash_count == std::numeric_limits<std::int32_t>::max()) return crash_count;
  return crash_count + 1;
}

}  // namespace cupola::bbs
