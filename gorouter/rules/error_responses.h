#pragma once

// The responses the router itself writes, worded as gorouter words them. Every one carries
// X-Cf-Routererror naming the failure; the access log records that value too.
//
// Bodies come from gorouter's plain-text error writer, "<code> <status text>: <message>\n",
// with "Content-Type: text/plain; charset=utf-8" and "X-Content-Type-Options: nosniff". A
// failed backend gets a fixed text instead ("502 Bad Gateway: Registered endpoint failed to
// handle the request.\n"), and 431 has no body at all.

#include <string>
#include <string_view>

#include "gorouter/rules/backend_failure.h"
#include "gorouter/rules/header_list.h"

namespace cupola::router::rules {

struct ErrorResponse {
  int status = 0;
  // The status line's reason phrase: Go's status text, or "status code <n>" for codes Go has
  // no text for (496, 499, 525, 526).
  std::string reason;
  HeaderList headers;
  std::string body;
  // Close the client connection after writing.
  bool close_connection = false;
  // Write only "HTTP/1.0 <status> <reason>\r\n\r\n", then close (for protocols the router
  // cannot answer in).
  bool bare_http10 = false;
};

// Go's http.StatusText; "" for codes it does not know.
std::string_view status_text(int status) noexcept;

// 400 empty_host: "Request had empty Host header" (see host_missing).
ErrorResponse empty_host();

// 400 invalid_cf_app_instance_header: "Invalid X-CF-App-Instance Header".
ErrorResponse invalid_app_instance_header();

// 400 invalid_cf_process_instance_header: "Invalid X-CF-Process-Instance Header".
ErrorResponse invalid_process_instance_header();

// 404 unknown_route: "Requested route ('<host>') does not exist."
ErrorResponse unknown_route(std::string_view host);

// 400 unknown_route: "Requested instance ('<index>') with guid ('<guid>') does not exist for
// route ('<host>')".
ErrorResponse unknown_app_instance(std::string_view host, std::string_view app_guid,
                                   std::string_view index);

// 400 unknown_route: "Requested instance ('<index>') with process guid ('<guid>') does not
// exist for route ('<host>')", or without the index part when none was given.
ErrorResponse unknown_process_instance(std::string_view host, std::string_view process_guid,
                                       std::string_view index);

// 503 no_endpoints: "Requested route ('<host>') has no available endpoints." A known route
// with no endpoints answers this, or unknown_route when empty_pool_response_code_503 is off.
ErrorResponse no_endpoints(std::string_view host);
ErrorResponse empty_pool(std::string_view host, bool empty_pool_response_code_503 = true);

// 503 "Connection Limit Reached": "Requested route ('<host>') has reached the connection
// limit." (every endpoint is at max_conns).
ErrorResponse connection_limit_reached(std::string_view host);

// 431 max-request-size-exceeded, no body, connection closed.
ErrorResponse request_headers_too_large();

// 408 request_timeout: the client stopped sending its request body; the connection closes.
ErrorResponse request_timeout();
// A bare 400, then the connection closes (an HTTP version the router does not serve).
ErrorResponse unsupported_protocol();

// The answer after the last failed attempt: X-Cf-Routererror "endpoint_failure (<error>)",
// and by failure 525 SSL Handshake Failed (plain-text or aborted handshake), 503 (hostname
// mismatch), 526 Invalid SSL Certificate (untrusted or expired), 496 SSL Certificate Required
// (the backend refused the router's certificate), 499 Request Cancelled (client gone), 504
// Gateway Timeout (no response within endpoint_timeout), else 502 Bad Gateway.
ErrorResponse endpoint_failure(const AttemptFailure& failure, std::string_view address);

}  // namespace cupola::router::rules
