#include "diego/lifecycle/healthcheck/http.h"

#include <charconv>

namespace cupola::lifecycle {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    auto comma = list.find(',');
    if (iequals(trim(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string http_request(std::string_view host, std::uint16_t port, std::string_view uri) {
  std::string authority =
      host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
  authority += ":" + std::to_string(port);
  return "GET " + std::string(uri) +
         " HTTP/1.1\r\n"
         "Host: " +
         authority +
         "\r\n"
         "User-Agent: cupola-healthcheck\r\n"
         "X-Forwarded-Proto: https\r\n"
         "Connection: close\r\n"
         "\r\n";
}

std::optional<int> parse_status_line(std::string_view line) {
  constexpr std::string_view kVersion = "HTTP/1.";
  if (line.size() < 12 || line.substr(0, kVersion.size()) != kVersion) return std::nullopt;
  if (line[7] < '0' || line[7] > '9' || line[8] != ' ') return std::nullopt;
  int status = 0;
  auto [end, ec] = std::from_chars(line.data() + 9, line.data() + 12, status);
  if (ec != std::errc() || end != line.data() + 12 || status < 100) return std::nullopt;
  if (line.size() > 12 && line[12] != ' ') return std::nullopt;
  return status;
}

ResponseProgress scan_http_response(std::string_view received) {
  // Interim (1xx) responses come before the final one; each pass reads one response head.
  while (true) {
    ResponseProgress p;
    auto eol = received.find('\n');
    if (eol == std::string_view::npos) {
      p.malformed = received.size() >= kMaxStatusLineBytes ||
                    !std::string_view("HTTP/").starts_with(received.substr(0, 5));
      return p;
    }
    std::string_view line = received.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    p.status = parse_status_line(line);
    if (!p.status) {
      p.malformed = true;
      return p;
    }

    // Headers end at the first empty line.
    std::size_t pos = eol + 1;
    std::optional<std::size_t> content_length;
    bool chunked = false;
    while (true) {
      auto next = received.find('\n', pos);
      if (next == std::string_view::npos) return p;  // headers still arriving
      std::string_view header = received.substr(pos, next - pos);
      pos = next + 1;
      if (header.empty() || header == "\r") break;
      auto colon = header.find(':');
      if (colon == std::string_view::npos) continue;
      std::string_view name = header.substr(0, colon);
      std::string_view value = trim(header.substr(colon + 1));
      if (iequals(name, "Content-Length")) {
        std::size_t n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec == std::errc() && end == value.data() + value.size()) content_length = n;
      } else if (iequals(name, "Transfer-Encoding")) {
        chunked = has_token(value, "chunked");
      }
    }
    std::string_view body = received.substr(pos);
    int status = *p.status;
    if (status >= 100 && status < 200 && status != 101) {
      received = body;
      continue;
    }
    if (status == 101 || status == 204 || status == 304) {
      p.complete = true;
    } else if (chunked) {
      // The last chunk; trailers are not expected from a health endpoint.
      p.complete = body == "0\r\n\r\n" || body.ends_with("\r\n0\r\n\r\n");
    } else if (content_length) {
      p.complete = body.size() >= *content_length;
    }
    return p;
  }
}

}  // namespace cupola::lifecycle
