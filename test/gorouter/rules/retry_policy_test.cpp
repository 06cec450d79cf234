// Retrying only what cannot have reached the app, and penalising failed endpoints.
#include <catch2/catch.hpp>

#include "gorouter/rules/retry_policy.h"

namespace cupola::router::rules {
namespace {

using namespace std::chrono_literals;

AttemptFailure failure(BackendFailure kind, bool head_written = false) {
  return AttemptFailure{kind, head_written, ""};
}

AttemptContext first_of(std::size_t pool_size, bool idempotent = true) {
  return AttemptContext{1, pool_size, pool_size - 1, idempotent, false};
}

TEST_CASE("dial and TLS failures are retried", "[router][rules][retry]") {
  for (BackendFailure kind :
       {BackendFailure::ConnectRefused, BackendFailure::ConnectTimeout, BackendFailure::DnsLookup,
        BackendFailure::TlsNotTlsBackend, BackendFailure::TlsHostnameMismatch,
        BackendFailure::TlsUntrustedCertificate, BackendFailure::TlsExpiredCertificate,
        BackendFailure::TlsCertificateRejected, BackendFailure::TlsHandshakeFailure,
        BackendFailure::TlsHandshakeTimeout}) {
    INFO(static_cast<int>(kind));
    const RetryDecision d = decide_after_failure(failure(kind), first_of(3, false));
    CHECK(d.retry);
    CHECK(d.penalty == EndpointPenalty::MarkFailed);
    CHECK(d.ineligible_for == 30s);
  }
}

TEST_CASE("failures after the request was sent are not retried", "[router][rules][retry]") {
  SECTION("when the connection was reset while reading the response") {
    const RetryDecision d =
        decide_after_failure(failure(BackendFailure::ConnectionResetOnRead, true), first_of(3));
    CHECK_FALSE(d.retry);
    CHECK(d.penalty == EndpointPenalty::MarkFailed);
  }
  SECTION("when the backend did not answer in time") {
    const RetryDecision d =
        decide_after_failure(failure(BackendFailure::ResponseTimeout, true), first_of(3));
    CHECK(d == RetryDecision{false, EndpointPenalty::None, 0s});
  }
  SECTION("when a write failed after the head was written") {
    CHECK_FALSE(
        decide_after_failure(failure(BackendFailure::WriteFailed, true), first_of(3)).retry);
  }
}

TEST_CASE("a failure before the request head was written is retried", "[router][rules][retry]") {
  const RetryDecision d =
      decide_after_failure(failure(BackendFailure::WriteFailed, false), first_of(3, false));
  CHECK(d.retry);
  CHECK(d.penalty == EndpointPenalty::None);
}

TEST_CASE("a connection closed without a response is retried only if idempotent",
          "[router][rules][retry]") {
  const AttemptFailure eof = failure(BackendFailure::ConnectionClosed, true);
  CHECK(decide_after_failure(eof, first_of(3, true)).retry);
  CHECK_FALSE(decide_after_failure(eof, first_of(3, false)).retry);
  CHECK(decide_after_failure(eof, first_of(3, true)).penalty == EndpointPenalty::None);
}

TEST_CASE("is_idempotent follows Go's replay rule", "[router][rules][retry]") {
  for (std::string_view method : {"GET", "HEAD", "OPTIONS", "TRACE"}) {
    CHECK(is_idempotent(method, false, {}));
    CHECK_FALSE(is_idempotent(method, true, {}));
  }
  CHECK_FALSE(is_idempotent("POST", false, {}));
  CHECK_FALSE(is_idempotent("DELETE", false, {}));
  CHECK(is_idempotent("POST", false, {{"Idempotency-Key", "8e03978e"}}));
  CHECK(is_idempotent("PUT", false, {{"x-idempotency-key", "8e03978e"}}));
  CHECK_FALSE(is_idempotent("POST", false, {{"Idempotency-Key", ""}}));
  CHECK_FALSE(is_idempotent("POST", true, {{"Idempotency-Key", "8e03978e"}}));
}

TEST_CASE("the client going away stops all retries", "[router][rules][retry]") {
  const RetryDecision d =
      decide_after_failure(failure(BackendFailure::ClientCancelled, false), first_of(3));
  CHECK(d == RetryDecision{false, EndpointPenalty::None, 0s});
}

TEST_CASE("attempts are bounded by max_attempts and the pool", "[router][rules][retry]") {
  const AttemptFailure refused = failure(BackendFailure::ConnectRefused);
  SECTION("when three attempts were made of the default three") {
    CHECK(decide_after_failure(refused, {2, 5, 3, false, false}).retry);
    CHECK_FALSE(decide_after_failure(refused, {3, 5, 2, false, false}).retry);
  }
  SECTION("when max_attempts is raised") {
    CHECK(decide_after_failure(refused, {3, 5, 2, false, false}, {.max_attempts = 5}).retry);
  }
  SECTION("when max_attempts is below 1, one attempt is made") {
    CHECK_FALSE(decide_after_failure(refused, {1, 5, 4, false, false}, {.max_attempts = 0}).retry);
  }
  SECTION("when every endpoint of the pool was tried") {
    CHECK_FALSE(decide_after_failure(refused, {1, 1, 0, false, false}).retry);
    CHECK_FALSE(decide_after_failure(refused, {2, 2, 0, false, false}).retry);
  }
  SECTION("when an endpoint registered since is untried") {
    CHECK(decide_after_failure(refused, {2, 2, 1, false, false}).retry);
  }
}

TEST_CASE("a failing TLS endpoint is pruned, not marked", "[router][rules][retry]") {
  AttemptContext tls = first_of(3);
  tls.endpoint_tls = true;
  CHECK(decide_after_failure(failure(BackendFailure::TlsUntrustedCertificate), tls).penalty ==
        EndpointPenalty::Prune);
  CHECK(decide_after_failure(failure(BackendFailure::ConnectionResetOnRead, true), tls).penalty ==
        EndpointPenalty::MarkFailed);
}

TEST_CASE("the failed-endpoint interval is configurable", "[router][rules][retry]") {
  CHECK(kDefaultRetryAfterFailure == 30s);
  const RetryDecision d = decide_after_failure(failure(BackendFailure::ConnectTimeout), first_of(2),
                                               {.retry_after_failure = 0s});
  CHECK(d.penalty == EndpointPenalty::MarkFailed);
  CHECK(d.ineligible_for == 0s);
}

TEST_CASE("giving up without a backend error penalises no one", "[router][rules][retry]") {
  for (BackendFailure kind :
       {BackendFailure::TooManyResponseHeaders, BackendFailure::NoEndpointsAvailable}) {
    CHECK(decide_after_failure(failure(kind, false), first_of(3)) == RetryDecision{});
  }
}

}  // namespace
}  // namespace cupola::router::rules
