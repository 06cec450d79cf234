#pragma once

// The header rules between a backend's response and the client, in gorouter's order:
//   1. sticky session: the __VCAP_ID__ Set-Cookie line (see sticky_session.h);
//   2. hop-by-hop headers removed, except from 101 Switching Protocols (see hop_by_hop.h);
//   3. X-Vcap-Request-Id: the request's, when the response has none (or an empty one);
//   4. X-Vcap-Router, X-Vcap-Backend and X-Cf-Routeendpoint, when the request's X-Vcap-Trace
//      equals the configured trace_key;
//   5. the operator's rewrites: X-Cf-Proxy-Signature and http_rewrite.responses.remove_headers
//      removed, then add_headers_if_not_present added where the name is absent.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gorouter/rules/endpoint.h"
#include "gorouter/rules/header_list.h"
#include "gorouter/rules/sticky_session.h"

namespace cupola::router::rules {

struct ResponseRuleOptions {
  StickySessionOptions sticky;
  // When non-empty, requests whose X-Vcap-Trace equals it get the routing headers.
  std::string trace_key;
  // The router's IP, for X-Vcap-Router.
  std::string router_ip;
  // http_rewrite.responses.remove_headers: names.
  std::vector<std::string> remove_headers;
  // http_rewrite.responses.add_headers_if_not_present.
  HeaderList add_headers_if_not_present;
};

struct BackendResponse {
  int status = 0;
  HeaderList headers;
};

// What the response rules read besides the response.
struct ResponseRuleInput {
  // The request's headers as sent to the backend.
  const HeaderList& request_headers;
  // The endpoint that answered.
  const Endpoint& endpoint;
  // The request's sticky target id ("" when it had none).
  std::string_view requested_endpoint_id;
  // The route's context path: "/" for a host-only route, "/api" for "host/api".
  std::string_view route_path = "/";
};

struct ResponseRuleContext {
  const ResponseRuleInput& input;
  const ResponseRuleOptions& options;
  int status;
  HeaderList headers;
};

using ResponseRule = void (*)(ResponseRuleContext&);

struct NamedResponseRule {
  std::string_view name;
  ResponseRule apply;
};

// The rules client_response_headers applies, in order.
std::span<const NamedResponseRule> response_rules() noexcept;

// The headers to send the client (the response's own list, rewritten).
HeaderList client_response_headers(BackendResponse response, const ResponseRuleInput& input,
                                   const ResponseRuleOptions& options);

}  // namespace cupola::router::rules
