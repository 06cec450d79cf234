#include "gorouter/rules/response_rules.h"

#include "gorouter/rules/hop_by_hop.h"
#include "gorouter/rules/names.h"

namespace cupola::router::rules {
namespace {

void add_sticky_cookie(ResponseRuleContext& ctx) {
  const ResponseRuleInput& in = ctx.input;
  if (auto cookie = vcap_id_cookie(ctx.headers, in.endpoint, in.requested_endpoint_id,
                                   in.route_path, ctx.options.sticky)) {
    if (std::string line = format_set_cookie(*cookie); !line.empty()) {
      add_header(ctx.headers, kSetCookie, std::move(line));
    }
  }
}

void drop_hop_by_hop(ResponseRuleContext& ctx) {
  // The upgrade handshake's Connection and Upgrade are the client's answer.
  if (ctx.status == 101) return;
  remove_hop_by_hop(ctx.headers);
}

void echo_vcap_request_id(ResponseRuleContext& ctx) {
  if (!header_value(ctx.headers, kXVcapRequestId).empty()) return;
  set_header(ctx.headers, kXVcapRequestId,
             std::string(header_value(ctx.input.request_headers, kXVcapRequestId)));
}

void add_vcap_trace(ResponseRuleContext& ctx) {
  const std::string& key = ctx.options.trace_key;
  if (key.empty() || header_value(ctx.input.request_headers, kXVcapTrace) != key) return;
  set_header(ctx.headers, kXVcapRouter, ctx.options.router_ip);
  set_header(ctx.headers, kXVcapBackend, ctx.input.endpoint.address);
  set_header(ctx.headers, kXCfRouteEndpoint, ctx.input.endpoint.address);
}

void apply_rewrites(ResponseRuleContext& ctx) {
  remove_header(ctx.headers, kXCfProxySignature);
  for (const std::string& name : ctx.options.remove_headers) remove_header(ctx.headers, name);
  if (ctx.options.add_headers_if_not_present.empty()) return;
  // Checked against the response as it was, so several values of one name are all added.
  const HeaderList before = ctx.headers;
  for (const Header& h : ctx.options.add_headers_if_not_present) {
    if (!has_header(before, h.name)) ctx.headers.push_back(h);
  }
}

constexpr NamedResponseRule kRules[] = {
    {"sticky_session", add_sticky_cookie},
    {"remove_hop_by_hop", drop_hop_by_hop},
    {"vcap_request_id", echo_vcap_request_id},
    {"vcap_trace", add_vcap_trace},
    {"rewrites", apply_rewrites},
};

}  // namespace

std::span<const NamedResponseRule> response_rules() noexcept { return kRules; }

HeaderList client_response_headers(BackendResponse response, const ResponseRuleInput& input,
                                   const ResponseRuleOptions& options) {
  ResponseRuleContext ctx{input, options, response.status, std::move(response.headers)};
  for (const NamedResponseRule& rule : kRules) rule.apply(ctx);
  return std::move(ctx.headers);
}

}  // namespace cupola::router::rules
