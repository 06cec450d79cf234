#include "loggregator/api/rate_limiter.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

namespace cupola::loggregator {
namespace {

constexpr std::chrono::seconds kReportInterval{1};

}  // namespace

LogRateLimiter::LogRateLimiter(std::uint64_t bytes_per_second, TimePoint now)
    : limit_(bytes_per_second), tokens_(static_cast<double>(bytes_per_second)), refilled_at_(now) {}

void LogRateLimiter::refill(TimePoint now) {
  if (now <= refilled_at_) return;
  double seconds = std::chrono::duration<double>(now - refilled_at_).count();
  tokens_ = std::min(static_cast<double>(limit_), tokens_ + seconds * static_cast<double>(limit_));
  refilled_at_ = now;
}

LogRateLimiter::Verdict LogRateLimiter::admit(std::size_t line_bytes, TimePoint now) {
  if (limit_ == 0) return Verdict::Allow;
  refill(now);
  if (now < blocked_until_) {
    ++dropped_lines_;
    dropped_bytes_ += line_bytes;
    return Verdict::Drop;
  }
  if (static_cast<double>(line_bytes) <= tokens_) {
    tokens_ -= static_cast<double>(line_bytes);
    return Verdict::Allow;
  }
  blocked_until_ = now + kReportInterval;
  ++dropped_lines_;
  dropped_bytes_ += line_bytes;
  return Verdict::DropAndReport;
}

std::string LogRateLimiter::exceeded_message() const { return log_rate_limit_message(limit_); }

std::string log_rate_limit_message(std::uint64_t bytes_per_second) {
  return fmt::format("app instance exceeded log rate limit ({} bytes/sec)", bytes_per_second);
}

Envelope make_rate_limit_report(const Envelope& line, std::uint64_t bytes_per_second,
                                std::int64_t timestamp) {
  Envelope report;
  report.timestamp = timestamp;
  report.source_id = line.source_id;
  report.instance_id = line.instance_id;
  report.tags = line.tags;
  report.message = Log{log_rate_limit_message(bytes_per_second), LogType::Out};
  return report;
}

}  // namespace cupola::loggregator
