#pragma once

// X-Forwarded-Proto and X-Forwarded-For.
//
// X-Forwarded-Proto: "https" when force_forwarded_proto_https; else the client connection's
// scheme ("https" over TLS, "http" otherwise) when sanitize_forwarded_proto is on or the
// client sent no (or an empty) value; else the client's value is kept.
//
// X-Forwarded-For: the client's values joined by ", " with the client's IP appended, as one
// line; just the client's IP when it sent none.

#include <optional>
#include <string_view>

#include "gorouter/rules/request_context.h"

namespace cupola::router::rules {

struct HostPort {
  std::string_view host;
  std::string_view port;
};

// Splits "host:port" or "[ipv6]:port" as Go's net.SplitHostPort does; nullopt when malformed.
std::optional<HostPort> split_host_port(std::string_view address) noexcept;

// The request rules.
void apply_x_forwarded_proto(RequestRuleContext& ctx);
void apply_x_forwarded_for(RequestRuleContext& ctx);

}  // namespace cupola::router::rules
