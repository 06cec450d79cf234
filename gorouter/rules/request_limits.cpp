#include "gorouter/rules/request_limits.h"

#include "gorouter/rules/names.h"

namespace cupola::router::rules {

std::size_t request_head_size(std::string_view method, std::string_view target,
                              std::string_view protocol, const HeaderList& headers) {
  std::size_t size = method.size() + target.size() + protocol.size() + 4;
  size += header_value(headers, kHost).size() + 8;
  for (const Header& h : headers) {
    if (!iequals(h.name, kHost)) size += h.name.size() + h.value.size() + 4;
  }
  return size;
}

bool request_head_too_large(std::string_view method, std::string_view target,
                            std::string_view protocol, const HeaderList& headers,
                            const RequestLimits& limits) {
  std::size_t max_bytes = limits.max_request_header_bytes;
  if (max_bytes < 1 || max_bytes > kMaxRequestHeaderBytes) max_bytes = kMaxRequestHeaderBytes;
  std::size_t lines = 0;
  for (const Header& h : headers) {
    if (!iequals(h.name, kHost)) ++lines;
  }
  return request_head_size(method, target, protocol, headers) >= max_bytes ||
         (limits.max_request_headers > 0 && lines > limits.max_request_headers);
}

bool protocol_supported(int major, int minor, bool http2_enabled) noexcept {
  return (http2_enabled && major == 2) || (major == 1 && (minor == 0 || minor == 1));
}

}  // namespace cupola::router::rules
