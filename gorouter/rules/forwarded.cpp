#include "gorouter/rules/forwarded.h"

#include <string>

#include "gorouter/rules/names.h"

namespace cupola::router::rules {

std::optional<HostPort> split_host_port(std::string_view a) noexcept {
  const std::size_t colon = a.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = a.substr(0, colon);
  const std::string_view port = a.substr(colon + 1);
  if (!host.empty() && host.front() == '[') {
    if (host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
    if (host.find_first_of("[]") != std::string_view::npos) return std::nullopt;
  } else if (host.find_first_of(":[]") != std::string_view::npos) {
    return std::nullopt;
  }
  if (port.find_first_of("[]") != std::string_view::npos) return std::nullopt;
  return HostPort{host, port};
}

void apply_x_forwarded_proto(RequestRuleContext& ctx) {
  const RequestRuleOptions& o = ctx.options;
  if (o.force_forwarded_proto_https) {
    set_header(ctx.headers, kXForwardedProto, "https");
  } else if (o.sanitize_forwarded_proto || header_value(ctx.headers, kXForwardedProto).empty()) {
    set_header(ctx.headers, kXForwardedProto, ctx.client.tls ? "https" : "http");
  }
}

void apply_x_forwarded_for(RequestRuleContext& ctx) {
  const auto client = split_host_port(ctx.client.remote_addr);
  if (!client) return;
  std::string value;
  for (std::string_view prior : header_values(ctx.headers, kXForwardedFor)) {
    value.append(prior).append(", ");
  }
  value.append(client->host);
  set_header(ctx.headers, kXForwardedFor, std::move(value));
}

}  // namespace cupola::router::rules
