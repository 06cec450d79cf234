#pragma once

// X-Vcap-Request-Id is always the router's: the request's trace UUID (see trace_info.h),
// replacing any value the client sent.

#include "gorouter/rules/request_context.h"

namespace cupola::router::rules {

// The request rule.
void apply_vcap_request_id(RequestRuleContext& ctx);

}  // namespace cupola::router::rules
