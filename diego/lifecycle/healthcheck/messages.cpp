#include "diego/lifecycle/healthcheck/messages.h"

#include <cstdio>
#include <cstring>

#include "diego/lifecycle/duration.h"

namespace cupola::lifecycle {
namespace {

// "timed out after 1.00 seconds": Diego prints the limit with two decimals.
std::string timed_out_after(std::chrono::nanoseconds limit) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "timed out after %.2f seconds",
                std::chrono::duration<double>(limit).count());
  return buf;
}

std::string http_prefix(std::string_view uri, std::uint16_t port) {
  return "Failed to make HTTP request to '" + std::string(uri) + "' on port " +
         std::to_string(port) + ": ";
}

}  // namespace

std::string tcp_failure(std::uint16_t port, std::string_view reason) {
  return "Failed to make TCP connection to port " + std::to_string(port) + ": " +
         std::string(reason);
}

std::string tcp_timeout(std::uint16_t port, std::chrono::nanoseconds limit) {
  return tcp_failure(port, timed_out_after(limit));
}

std::string http_failure(std::string_view uri, std::uint16_t port, std::string_view reason) {
  return http_prefix(uri, port) + std::string(reason);
}

std::string http_status_failure(std::string_view uri, std::uint16_t port, int status,
                                std::chrono::milliseconds elapsed) {
  return http_prefix(uri, port) + "received status code " + std::to_string(status) + " in " +
         std::to_string(elapsed.count()) + "ms";
}

std::string http_timeout(std::string_view uri, std::uint16_t port, std::chrono::nanoseconds limit) {
  return http_prefix(uri, port) + timed_out_after(limit);
}

std::string startup_timed_out(std::chrono::nanoseconds startup_timeout, int attempts,
                              std::string_view last_failure) {
  return "Timed out after " + format_go_duration(startup_timeout) + " (" +
         std::to_string(attempts) +
         " attempts) waiting for startup check to succeed: " + std::string(last_failure);
}

std::string liveness_failed(std::string_view failure) {
  return "Liveness check unsuccessful: " + std::string(failure);
}

std::string readiness_failed(std::string_view failure) {
  return "Readiness check unsuccessful: " + std::string(failure);
}

std::string errno_reason(int err) {
  char buf[256];
  // GNU strerror_r: returns a pointer to the message, which may not be buf.
  std::string reason = ::strerror_r(err, buf, sizeof(buf));
  if (!reason.empty() && reason[0] >= 'A' && reason[0] <= 'Z') reason[0] += 'a' - 'A';
  return reason;
}

}  // namespace cupola::lifecycle
