#pragma once

// Cloud Foundry's crash-restart policy for ActualLRPs, as pure functions of the crash count
// and timestamps (int64 ns since the epoch, like ActualLrp::since). Used by convergence
// (when to restart a CRASHED instance) and by the crash handler (the new crash count, and
// whether the crash goes straight back to UNCLAIMED).
//
// Counting the crash itself (the count is incremented before the check):
//   crashes 1 and 2        -> restart at once;
//   crash 3, 4, 5, 6, 7    -> wait 30 s, 1 min, 2 min, 4 min, 8 min after the crash;
//   crash 8 .. 199         -> wait 16 min;
//   crash_count >= 200     -> never restarted.
// A crash after more than 5 min of RUNNING starts the count again at 1.

#include <chrono>
#include <cstdint>
#include <optional>

#include "bbs/api/models/actual_lrp.h"

namespace cupola::bbs {

// Crash counts below this restart without waiting.
inline constexpr std::int32_t kDefaultImmediateRestarts = 3;
// The wait after the first crash that is not restarted at once.
inline constexpr std::chrono::nanoseconds kCrashBackoffMinDuration = std::chrono::seconds{30};
// No wait is longer than this.
inline constexpr std::chrono::nanoseconds kDefaultMaxBackoffDuration = std::chrono::minutes{16};
// From this crash count on an instance stays CRASHED.
inline constexpr std::int32_t kDefaultMaxRestarts = 200;
// The wait doubles at most this many times: log2(16 min / 30 s).
inline constexpr std::int32_t kMaxBackoffCount = 5;
// An instance that ran longer than this before crashing starts counting crashes again.
inline constexpr std::chrono::nanoseconds kCrashResetTimeout = std::chrono::minutes{5};

// How long an instance with `crash_count` crashes waits in CRASHED before it may restart:
// zero below kDefaultImmediateRestarts, 30 s x 2^min(n-3, 5) capped at 16 min after that,
// and nullopt ("never") from kDefaultMaxRestarts on.
std::optional<std::chrono::nanoseconds> restart_backoff(std::int32_t crash_count);

// Whether an instance that crashed at `crashed_at_since` (the CRASHED row's `since`) with
// `crash_count` crashes may be restarted at `now`: true once crashed_at_since + backoff <= now.
bool should_restart(std::int64_t now, std::int64_t crashed_at_since, std::int32_t crash_count);

// Whether a crash that brings the count to `crash_count` restarts at once, in the same write
// as the crash (the row goes to UNCLAIMED instead of CRASHED and is auctioned).
inline bool restarts_immediately(std::int32_t crash_count) {
  return should_restart(0, 0, crash_count);
}

// The earliest `now` at which should_restart holds, or nullopt when it never will.
std::optional<std::int64_t> restart_due_at(std::int64_t crashed_at_since, std::int32_t crash_count);

// The crash count a row gets when it crashes at `now`: 1 if it was RUNNING and had been for
// more than kCrashResetTimeout (now - since > 5 min), otherwise its count plus one.
// `state`, `since` and `crash_count` are the row's values before the crash.
std::int32_t next_crash_count(ActualLrpState state, std::int64_t since, std::int32_t crash_count,
                              std::int64_t now);
inline std::int32_t next_crash_count(const ActualLrp& before, std::int64_t now) {
  return next_crash_count(before.state, before.since, before.crash_count, now);
}

}  // namespace cupola::bbs
