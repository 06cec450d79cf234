#include "gorouter/rules/request_id.h"

#include "gorouter/rules/names.h"

namespace cupola::router::rules {

void apply_vcap_request_id(RequestRuleContext& ctx) {
  set_header(ctx.headers, kXVcapRequestId, provide_trace_info(ctx.trace, ctx.ids).uuid);
}

}  // namespace cupola::router::rules
