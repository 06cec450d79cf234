#include "gorouter/rules/proxy_headers.h"

#include <string>

#include "gorouter/rules/names.h"

namespace cupola::router::rules {

void apply_x_request_start(RequestRuleContext& ctx) {
  if (has_header(ctx.headers, kXRequestStart)) return;
  set_header(ctx.headers, kXRequestStart, std::to_string(ctx.client.start_ms));
}

void apply_drop_app_instance(RequestRuleContext& ctx) {
  remove_header(ctx.headers, kXCfAppInstance);
}

void apply_expect_continue_close(RequestRuleContext& ctx) {
  if (ctx.options.keep_alive_100_continue_requests) return;
  if (iequals(header_value(ctx.headers, kExpect), "100-continue")) {
    set_header(ctx.headers, kConnection, "close");
  }
}

void apply_endpoint_identity(HeaderList& headers, const Endpoint& endpoint) {
  set_header(headers, kXCfApplicationId, endpoint.app_id);
  set_header(headers, kXCfInstanceIndex, endpoint.instance_index);
  set_header(headers, kXCfInstanceId,
             endpoint.instance_id.empty() ? endpoint.address : endpoint.instance_id);
}

}  // namespace cupola::router::rules
