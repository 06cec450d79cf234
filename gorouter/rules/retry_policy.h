#pragma once

// What the router does after a failed attempt, as gorouter decides it.
//
// Retry only when the app cannot have seen the request: dial and TLS failures, any failure
// before the request head was fully written, and a connection closed without a response when
// the request is idempotent. Never after the client went away. At most max_attempts attempts
// (router.backends.max_attempts, 3 by default, at least 1), and never more attempts than the
// pool has endpoints unless an untried one has appeared since.
//
// Independently of retrying, the failed endpoint is penalised: a TLS endpoint failing in a
// dial or TLS way is pruned from its pool; any endpoint failing that way, or reset while the
// router read its response, is skipped by the balancer for retry_after_failure (a quarter of
// droplet_stale_threshold: 30 s by default; 0 for a pool narrowed by X-Cf-App-Instance).

#include <chrono>
#include <cstddef>
#include <string_view>

#include "gorouter/rules/backend_failure.h"
#include "gorouter/rules/header_list.h"

namespace cupola::router::rules {

inline constexpr int kDefaultMaxAttempts = 3;
inline constexpr std::chrono::seconds kDefaultDropletStaleThreshold{120};
inline constexpr std::chrono::seconds kDefaultRetryAfterFailure = kDefaultDropletStaleThreshold / 4;

struct RetryOptions {
  int max_attempts = kDefaultMaxAttempts;
  std::chrono::seconds retry_after_failure = kDefaultRetryAfterFailure;
};

// Whether a request may be replayed after the backend closed the connection without an
// answer: it has no body, and its method is GET, HEAD, OPTIONS or TRACE or it carries a
// non-empty Idempotency-Key or X-Idempotency-Key header.
bool is_idempotent(std::string_view method, bool has_body, const HeaderList& request_headers);

// Whether the failure alone allows a retry (before counting attempts).
bool is_retriable(const AttemptFailure& failure, bool idempotent) noexcept;

struct AttemptContext {
  // 1 for the first attempt.
  int attempt = 1;
  // Endpoints in the route's pool now.
  std::size_t pool_size = 0;
  // Endpoints of the pool this request has not tried yet.
  std::size_t untried_endpoints = 0;
  bool idempotent = false;
  // Whether the failed endpoint is reached over TLS.
  bool endpoint_tls = false;
};

enum class EndpointPenalty {
  None,
  // Skipped by the balancer for `ineligible_for`.
  MarkFailed,
  // Removed from the pool until it registers again.
  Prune,
};

struct RetryDecision {
  bool retry = false;
  EndpointPenalty penalty = EndpointPenalty::None;
  std::chrono::seconds ineligible_for{0};

  bool operator==(const RetryDecision&) const = default;
};

RetryDecision decide_after_failure(const AttemptFailure& failure, const AttemptContext& context,
                                   const RetryOptions& options = {});

}  // namespace cupola::router::rules
