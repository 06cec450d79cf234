#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cupola::lifecycle {

// The status line must arrive within this many bytes; a response is read (and then
// discarded) up to kMaxResponseBytes so the app does not see its reply cut off by a reset.
inline constexpr std::size_t kMaxStatusLineBytes = 8 * 1024;
inline constexpr std::size_t kMaxResponseBytes = 64 * 1024;

// "GET <uri> HTTP/1.1" with Host (host:port, IPv6 in brackets), a User-Agent,
// X-Forwarded-Proto: https (as Diego sends, so apps that redirect plain HTTP answer the
// check itself) and Connection: close.
std::string http_request(std::string_view host, std::uint16_t port, std::string_view uri);

// The status code of an HTTP/1.x status line ("HTTP/1.1 200 OK", without the line end).
std::optional<int> parse_status_line(std::string_view line);

struct ResponseProgress {
  std::optional<int> status;  // once the status line has arrived
  bool malformed = false;     // not an HTTP/1.x response
  bool complete = false;      // headers and body have all arrived (by length or chunking)
};

// What the bytes received so far (from the first) say about a response.
ResponseProgress scan_http_response(std::string_view received);

}  // namespace cupola::lifecycle
