#include "gorouter/rules/retry_policy.h"

#include <algorithm>

#include "gorouter/rules/names.h"

namespace cupola::router::rules {

bool is_idempotent(std::string_view method, bool has_body, const HeaderList& request_headers) {
  if (has_body) return false;
  if (method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE" ||
      method.empty()) {
    return true;
  }
  return !header_value(request_headers, kIdempotencyKey).empty() ||
         !header_value(request_headers, kXIdempotencyKey).empty();
}

bool is_retriable(const AttemptFailure& failure, bool idempotent) noexcept {
  switch (failure.kind) {
    case BackendFailure::ClientCancelled:
      return false;
    // Neither is a failed attempt: the router gives up without another one.
    case BackendFailure::TooManyResponseHeaders:
    case BackendFailure::NoEndpointsAvailable:
      return false;
    default:
      break;
  }
  if (!failure.request_head_written) return true;
  if (failure.kind == BackendFailure::ConnectionClosed && idempotent) return true;
  return is_retriable_kind(failure.kind);
}

RetryDecision decide_after_failure(const AttemptFailure& failure, const AttemptContext& context,
                                   const RetryOptions& options) {
  RetryDecision decision;
  const int max_attempts = std::max(options.max_attempts, 1);
  const auto next = static_cast<std::size_t>(context.attempt) + 1;
  decision.retry = is_retriable(failure, context.idempotent) && context.attempt < max_attempts &&
                   (next <= context.pool_size || context.untried_endpoints > 0);

  if (failure.kind == BackendFailure::TooManyResponseHeaders ||
      failure.kind == BackendFailure::NoEndpointsAvailable) {
    return decision;
  }
  if (context.endpoint_tls && prunes_tls_endpoint(failure.kind)) {
    decision.penalty = EndpointPenalty::Prune;
  } else if (marks_endpoint_failed(failure.kind)) {
    decision.penalty = EndpointPenalty::MarkFailed;
    decision.ineligible_for = options.retry_after_failure;
  }
  return decision;
}

}  // namespace cupola::router::rules
