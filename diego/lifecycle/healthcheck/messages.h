#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace cupola::lifecycle {

// The failure wording of cupola-healthcheck. It follows Diego's healthcheck so that crash
// reasons read the same as on Cloud Foundry ("Instance never healthy after 1m0s: Failed to
// make TCP connection to port 8080: connection refused" once the executor wraps it).

// "Failed to make TCP connection to port 8080: connection refused"
std::string tcp_failure(std::uint16_t port, std::string_view reason);
// "Failed to make TCP connection to port 8080: timed out after 1.00 seconds"
std::string tcp_timeout(std::uint16_t port, std::chrono::nanoseconds limit);

// "Failed to make HTTP request to '/health' on port 8080: connection refused"
std::string http_failure(std::string_view uri, std::uint16_t port, std::string_view reason);
// "Failed to make HTTP request to '/health' on port 8080: received status code 500 in 3ms"
std::string http_status_failure(std::string_view uri, std::uint16_t port, int status,
                                std::chrono::milliseconds elapsed);
// "Failed to make HTTP request to '/health' on port 8080: timed out after 1.00 seconds"
std::string http_timeout(std::string_view uri, std::uint16_t port, std::chrono::nanoseconds limit);

// "Timed out after 1m0s (12 attempts) waiting for startup check to succeed: <failure>"
std::string startup_timed_out(std::chrono::nanoseconds startup_timeout, int attempts,
                              std::string_view last_failure);
// "Liveness check unsuccessful: <failure>"
std::string liveness_failed(std::string_view failure);
// "Readiness check unsuccessful: <failure>"
std::string readiness_failed(std::string_view failure);

// An errno value as a reason in lower case, as Go prints it: "connection refused".
std::string errno_reason(int err);

}  // namespace cupola::lifecycle
