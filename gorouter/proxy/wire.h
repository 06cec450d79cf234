#pragma once

// The bytes the router writes itself: its own answers, the request heads it sends to
// backends, and the small conversions between the parser's, the route table's and the
// rules' types.

#include <cstdint>
#include <string>
#include <string_view>

#include "gorouter/http/message.h"
#include "gorouter/route/endpoint.h"
#include "gorouter/rules/access_log.h"
#include "gorouter/rules/endpoint.h"
#include "gorouter/rules/error_responses.h"
#include "gorouter/rules/header_list.h"

namespace cupola::router {

std::string hex(std::uint64_t n);
// An answer the router gives itself (gorouter's wording comes from the rules).
std::string serialize(const rules::ErrorResponse& e, bool keep_alive);
// A parse error's answer: gorouter's body form, no router error, the connection closes.
rules::ErrorResponse parse_error(int status, std::string_view reason);
const rules::AccessLogOptions& access_log_options();
// Content-Length and Transfer-Encoding: the router frames every body it forwards itself.
bool framing_header(std::string_view name);
// The Host header without its port, for messages.
std::string host_only(std::string_view host);
// The request head sent to a backend: the request line, the headers the rules made for this
// endpoint (less framing and Expect) and the framing the router uses for the body.
// Written into `h`, whose storage is reused.
void backend_request_head(std::string& h, std::string_view method, std::string_view target,
                          const rules::HeaderList& headers, const http::BodyFraming& body);
rules::Endpoint rules_endpoint(const Endpoint& ep);

}  // namespace cupola::router
