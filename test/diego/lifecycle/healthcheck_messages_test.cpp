#include "diego/lifecycle/healthcheck/messages.h"

#include <cerrno>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using namespace cupola::lifecycle;

TEST_CASE("cupola-healthcheck failure messages read as Diego's") {
  SECTION("when a TCP check fails") {
    CHECK(tcp_failure(8080, "connection refused") ==
          "Failed to make TCP connection to port 8080: connection refused");
    CHECK(tcp_timeout(8080, 1s) ==
          "Failed to make TCP connection to port 8080: timed out after 1.00 seconds");
    CHECK(tcp_timeout(8080, 250ms) ==
          "Failed to make TCP connection to port 8080: timed out after 0.25 seconds");
  }
  SECTION("when an HTTP check fails") {
    CHECK(http_status_failure("/health", 8080, 500, 3ms) ==
          "Failed to make HTTP request to '/health' on port 8080: received status code 500 in "
          "3ms");
    CHECK(http_timeout("/health", 8080, 2s) ==
          "Failed to make HTTP request to '/health' on port 8080: timed out after 2.00 seconds");
    CHECK(http_failure("/", 3000, "connection refused") ==
          "Failed to make HTTP request to '/' on port 3000: connection refused");
  }
  SECTION("when a mode gives up, it says which and why") {
    CHECK(startup_timed_out(60s, 12, "x") ==
          "Timed out after 1m0s (12 attempts) waiting for startup check to succeed: x");
    CHECK(startup_timed_out(300ms, 1, "x") ==
          "Timed out after 300ms (1 attempts) waiting for startup check to succeed: x");
    CHECK(liveness_failed("x") == "Liveness check unsuccessful: x");
    CHECK(readiness_failed("x") == "Readiness check unsuccessful: x");
  }
  SECTION("when the reason is an errno value, it is in lower case") {
    CHECK(errno_reason(ECONNREFUSED) == "connection refused");
    CHECK(errno_reason(EHOSTUNREACH) == "no route to host");
    CHECK(errno_reason(ECONNRESET) == "connection reset by peer");
  }
}
