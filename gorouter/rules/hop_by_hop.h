#pragma once

// Hop-by-hop headers, which describe one connection and are never forwarded: every header
// named in Connection, and Connection, Proxy-Connection, Keep-Alive, Proxy-Authenticate,
// Proxy-Authorization, Te, Trailer, Transfer-Encoding and Upgrade.
//
// Requests: a protocol upgrade (Connection lists "upgrade" and Upgrade names a protocol, as a
// WebSocket handshake does) is forwarded as "Connection: Upgrade" and "Upgrade: <protocol>";
// a client that sent "Te: trailers" is forwarded "Te: trailers". Names listed in
// hop_by_hop_headers_to_filter are first taken out of Connection, so those headers survive.
//
// Responses: the same removal, except for 101 Switching Protocols, which is passed whole.

#include <span>
#include <string>
#include <string_view>

#include "gorouter/rules/header_list.h"
#include "gorouter/rules/request_context.h"

namespace cupola::router::rules {

// The fixed hop-by-hop names.
std::span<const std::string_view> hop_by_hop_names() noexcept;

// The upgrade protocol a request asks for, or "" when it asks for none.
std::string_view upgrade_protocol(const HeaderList& headers) noexcept;

// Removes the headers named in Connection, then the fixed hop-by-hop names.
void remove_hop_by_hop(HeaderList& headers);

// The request rules: the Connection filter (applied first) and the removal.
void apply_hop_by_hop_filter(RequestRuleContext& ctx);
void apply_remove_hop_by_hop(RequestRuleContext& ctx);

}  // namespace cupola::router::rules
