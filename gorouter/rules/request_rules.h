#pragma once

// The header rules between a client's request and the backend, in gorouter's order. The
// rules before the endpoint is chosen run once per request (prepare_request); the endpoint's
// identity is added per attempt (headers_for_endpoint), since a retry may pick another one.
// The Host header is never touched.

#include <span>
#include <string_view>

#include "gorouter/rules/endpoint.h"
#include "gorouter/rules/header_list.h"
#include "gorouter/rules/request_context.h"
#include "gorouter/rules/trace_info.h"

namespace cupola::router::rules {

using RequestRule = void (*)(RequestRuleContext&);

struct NamedRequestRule {
  std::string_view name;
  RequestRule apply;
};

// The rules prepare_request applies, in order.
std::span<const NamedRequestRule> request_rules() noexcept;

struct PreparedRequest {
  // The headers for the backend, less the endpoint's identity.
  HeaderList headers;
  // The request's trace (X-Vcap-Request-Id is trace.uuid); the access log reads it.
  TraceInfo trace;
};

PreparedRequest prepare_request(const ClientRequest& client, const FreshIds& ids,
                                const RequestRuleOptions& options);

// `prepared` with the identity of the endpoint this attempt goes to.
HeaderList headers_for_endpoint(const HeaderList& prepared, const Endpoint& endpoint);

// Both steps at once, for a request's first attempt.
HeaderList backend_request_headers(const ClientRequest& client, const Endpoint& endpoint,
                                   const FreshIds& ids, const RequestRuleOptions& options);

}  // namespace cupola::router::rules
