#pragma once

// Requests the router refuses before routing them.
//
// Head size: the request line, the Host line and every other header line are counted as
// written ("<name>: <value>\r\n"); at max_request_header_bytes or more (1 MiB by default, and
// never more), or with more header lines than max_request_headers (when that is set), the
// answer is 431 (request_headers_too_large()).
//
// Protocol: HTTP/1.0 and HTTP/1.1, and HTTP/2 when enabled; anything else gets a bare 400
// (unsupported_protocol()).

#include <cstddef>
#include <string_view>

#include "gorouter/rules/header_list.h"

namespace cupola::router::rules {

inline constexpr std::size_t kMaxRequestHeaderBytes = 1024 * 1024;

struct RequestLimits {
  // 0 or more than kMaxRequestHeaderBytes means kMaxRequestHeaderBytes.
  std::size_t max_request_header_bytes = kMaxRequestHeaderBytes;
  // 0 means no limit.
  std::size_t max_request_headers = 0;
};

// The size the limit is checked against: method, target and protocol with two spaces and
// CRLF, then "Host: <host>\r\n", then "<name>: <value>\r\n" for every other line.
std::size_t request_head_size(std::string_view method, std::string_view target,
                              std::string_view protocol, const HeaderList& headers);

bool request_head_too_large(std::string_view method, std::string_view target,
                            std::string_view protocol, const HeaderList& headers,
                            const RequestLimits& limits = {});

bool protocol_supported(int major, int minor, bool http2_enabled) noexcept;

}  // namespace cupola::router::rules
