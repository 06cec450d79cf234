#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/core/time.h"
#include "loggregator/api/envelope.h"

namespace cupola::loggregator {

// One app instance's log rate limit (the app's log quota, bytes per second), as Cloud
// Foundry's executor applies it: a token bucket of `bytes_per_second` tokens refilled at
// that rate, starting full. A line that does not fit is dropped, and so is every line in the
// second that follows, without looking at the bucket; the first dropped line of such a
// second is the one to report, with exceeded_message(), so an app over its limit sees at
// most one report line per second. A line longer than the limit never fits.
//
// Pure (time is an argument); not thread-safe: one per instance, used by its log reader.
class LogRateLimiter {
 public:
  enum class Verdict {
    Allow,          // send the line
    Drop,           // drop it silently
    DropAndReport,  // drop it and send make_rate_limit_report() instead
  };

  // 0 bytes per second means unlimited.
  LogRateLimiter(std::uint64_t bytes_per_second, TimePoint now);

  Verdict admit(std::size_t line_bytes, TimePoint now);

  std::uint64_t bytes_per_second() const { return limit_; }
  // "app instance exceeded log rate limit (<N> bytes/sec)".
  std::string exceeded_message() const;

  std::uint64_t dropped_lines() const { return dropped_lines_; }
  std::uint64_t dropped_bytes() const { return dropped_bytes_; }

 private:
  void refill(TimePoint now);

  std::uint64_t limit_;
  double tokens_;
  TimePoint refilled_at_;
  // Lines are dropped unchecked until then (the second after a refusal).
  TimePoint blocked_until_{};
  std::uint64_t dropped_lines_ = 0;
  std::uint64_t dropped_bytes_ = 0;
};

// Cloud Foundry's wording: "app instance exceeded log rate limit (<N> bytes/sec)".
std::string log_rate_limit_message(std::uint64_t bytes_per_second);

// The report the executor sends into the app's logs in place of the dropped `line`: an OUT
// log with the line's source_id, instance_id and tags (so the same source_type, such as
// "APP/PROC/WEB"), at `timestamp`.
Envelope make_rate_limit_report(const Envelope& line, std::uint64_t bytes_per_second,
                                std::int64_t timestamp);

}  // namespace cupola::loggregator
