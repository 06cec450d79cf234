#include "gorouter/rules/request_rules.h"

#include "gorouter/rules/b3.h"
#include "gorouter/rules/client_cert.h"
#include "gorouter/rules/forwarded.h"
#include "gorouter/rules/hop_by_hop.h"
#include "gorouter/rules/proxy_headers.h"
#include "gorouter/rules/request_id.h"
#include "gorouter/rules/w3c.h"

namespace cupola::router::rules {
namespace {

constexpr std::size_t kRoomForAddedHeaders = 12;

// The order is gorouter's: its handler chain, then the reverse proxy's own rewriting.
// Tracing comes first because X-Vcap-Request-Id is derived from the trace; the Connection
// filter must precede the hop-by-hop removal it exempts headers from; X-Forwarded-For is
// appended after that removal, and "Connection: close" is set last so nothing removes it.
constexpr NamedRequestRule kRules[] = {
    {"zipkin", apply_zipkin},
    {"w3c", apply_w3c},
    {"vcap_request_id", apply_vcap_request_id},
    {"forwarded_client_cert", apply_forwarded_client_cert},
    {"hop_by_hop_filter", apply_hop_by_hop_filter},
    {"x_forwarded_proto", apply_x_forwarded_proto},
    {"x_request_start", apply_x_request_start},
    {"drop_app_instance", apply_drop_app_instance},
    {"remove_hop_by_hop", apply_remove_hop_by_hop},
    {"x_forwarded_for", apply_x_forwarded_for},
    {"expect_continue_close", apply_expect_continue_close},
};

}  // namespace

std::span<const NamedRequestRule> request_rules() noexcept { return kRules; }

PreparedRequest prepare_request(const ClientRequest& client, const FreshIds& ids,
                                const RequestRuleOptions& options) {
  RequestRuleContext ctx{client, ids, options, {}, {}};
  // Room for what the rules add, so adding does not move the list.
  ctx.headers.reserve(client.headers.size() + kRoomForAddedHeaders);
  ctx.headers.assign(client.headers.begin(), client.headers.end());
  for (const NamedRequestRule& rule : kRules) rule.apply(ctx);
  return {std::move(ctx.headers), std::move(ctx.trace)};
}

HeaderList headers_for_endpoint(const HeaderList& prepared, const Endpoint& endpoint) {
  HeaderList headers;
  headers.reserve(prepared.size() + kRoomForAddedHeaders);
  headers.assign(prepared.begin(), prepared.end());
  apply_endpoint_identity(headers, endpoint);
  return headers;
}

HeaderList backend_request_headers(const ClientRequest& client, const Endpoint& endpoint,
                                   const FreshIds& ids, const RequestRuleOptions& options) {
  return headers_for_endpoint(prepare_request(client, ids, options).headers, endpoint);
}

}  // namespace cupola::router::rules
