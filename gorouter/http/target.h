#pragma once

#include <optional>
#include <string_view>

#include "gorouter/http/message.h"

namespace cupola::router::http {

// The form of `target` for a request with `method` (RFC 9112 §3.2), or nullopt when it has
// none the router accepts: CONNECT takes only authority-form, "*" only comes with OPTIONS,
// absolute-form only with the http or https scheme and a valid authority, every other
// target starts with "/". Assumes every byte is a VCHAR (the parser checks that first).
std::optional<TargetForm> classify_target(std::string_view method, std::string_view target);

// Whether `text` is uri-host [":" port] (RFC 3986): a reg-name of unreserved, sub-delims and
// %HH, or a bracketed IPv6 literal, then an optional port of 1 to 5 digits up to 65535 —
// required when `port_required`. No userinfo. An empty `text` is valid only when
// `allow_empty` (an HTTP/1.1 Host header may be empty).
bool valid_authority(std::string_view text, bool port_required, bool allow_empty = false);

}  // namespace cupola::router::http
