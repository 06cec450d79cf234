#pragma once

// The headers the proxy itself adds or drops on the way to the backend:
//   - X-Request-Start: when the router received the request, in ms since the epoch, unless
//     the request already has the header (even empty);
//   - X-Cf-App-Instance is dropped: it addressed the router, not the app;
//   - "Connection: close" for "Expect: 100-continue" requests, unless
//     keep_alive_100_continue_requests;
//   - per attempt, the chosen endpoint: X-Cf-Applicationid, X-Cf-Instanceindex and
//     X-Cf-Instanceid (the instance guid, or the endpoint's address when it has none),
//     replacing whatever the client sent.

#include "gorouter/rules/endpoint.h"
#include "gorouter/rules/header_list.h"
#include "gorouter/rules/request_context.h"

namespace cupola::router::rules {

// The request rules.
void apply_x_request_start(RequestRuleContext& ctx);
void apply_drop_app_instance(RequestRuleContext& ctx);
void apply_expect_continue_close(RequestRuleContext& ctx);

// The per-attempt rule.
void apply_endpoint_identity(HeaderList& headers, const Endpoint& endpoint);

}  // namespace cupola::router::rules
