#pragma once

// Connection semantics a proxy decides from a parsed head (RFC 9110 §7.6, RFC 9112 §9).

#include <string_view>

#include "gorouter/http/message.h"

namespace cupola::router::http {

// Whether the client's connection may carry another request after this one: HTTP/1.1
// unless Connection lists "close"; HTTP/1.0 only when Connection lists "keep-alive" and not
// "close".
bool keep_alive(const RequestHead& head);

// Whether the backend connection may be reused after this response: as for requests, and
// never when the body is read until close or the connection became a tunnel.
bool keep_alive(const ResponseHead& head);

// An HTTP/1.1 request asking to switch protocols: Connection lists "upgrade" and an
// Upgrade field is present.
bool wants_upgrade(const RequestHead& head);

// A WebSocket handshake: a GET that wants_upgrade() with Upgrade listing "websocket".
bool is_websocket_upgrade(const RequestHead& head);

// An HTTP/1.1 request with "Expect: 100-continue" (an HTTP/1.0 client's Expect is ignored,
// RFC 9110 §10.1.1).
bool expects_continue(const RequestHead& head);

// Whether a field named `name` is hop-by-hop for a message with `headers`, so a proxy must
// not forward it: Connection, Keep-Alive, Proxy-Connection, TE, Trailer,
// Transfer-Encoding, Upgrade, and every name the message's Connection fields list.
bool is_hop_by_hop(std::string_view name, const Headers& headers);

}  // namespace cupola::router::http
