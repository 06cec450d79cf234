#include "gorouter/proxy/wire.h"

#include <charconv>

namespace cupola::router {

using rules::iequals;

std::string hex(std::uint64_t n) {
  char buf[17];
  auto r = std::to_chars(buf, buf + sizeof buf, n, 16);
  return std::string(buf, r.ptr);
}

// A response the router itself gives (gorouter's wording, from the rules).
std::string serialize(const rules::ErrorResponse& e, bool keep_alive) {
  if (e.bare_http10) {
    return "HTTP/1.0 " + std::to_string(e.status) + " " + e.reason + "\r\n\r\n";
  }
  std::string r = "HTTP/1.1 " + std::to_string(e.status) + " " + e.reason + "\r\n";
  for (const auto& h : e.headers) r += h.name + ": " + h.value + "\r\n";
  r += "Content-Length: " + std::to_string(e.body.size()) + "\r\n";
  if (!keep_alive || e.close_connection) r += "Connection: close\r\n";
  r += "\r\n" + e.body;
  return r;
}

// A parse error's answer: gorouter's body form, no router error.
rules::ErrorResponse parse_error(int status, std::string_view reason) {
  rules::ErrorResponse e;
  e.status = status;
  e.reason = std::string(rules::status_text(status));
  e.headers = {{"Content-Type", "text/plain; charset=utf-8"},
               {"X-Content-Type-Options", "nosniff"}};
  e.body = std::to_string(status) + " " + e.reason + ": " + std::string(reason) + "\n";
  e.close_connection = true;
  return e;
}

const rules::AccessLogOptions& access_log_options() {
  static const rules::AccessLogOptions options;
  return options;
}

bool framing_header(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding");
}

// Host header without port, for messages.
std::string host_only(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    auto end = host.find(']');
    return std::string(host.substr(0, end == std::string_view::npos ? host.size() : end + 1));
  }
  return std::string(host.substr(0, host.find(':')));
}

// The request head sent to the backend: the request line, the headers the rules made for
// this endpoint, and the framing the router uses for the body it forwards.
void backend_request_head(std::string& h, std::string_view method, std::string_view target,
                          const rules::HeaderList& headers, const http::BodyFraming& body) {
  h.clear();
  h.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  for (const auto& f : headers) {
    // The router frames the body itself, and answers "100 Continue" itself.
    if (framing_header(f.name) || iequals(f.name, "Expect")) continue;
    h.append(f.name).append(": ").append(f.value).append("\r\n");
  }
  switch (body.kind) {
    case http::BodyKind::ContentLength:
      h.append("Content-Length: ").append(std::to_string(body.length)).append("\r\n");
      break;
    case http::BodyKind::Chunked:
      h.append("Transfer-Encoding: chunked\r\n");
      break;
    default:
      break;
  }
  h.append("\r\n");
}

rules::Endpoint rules_endpoint(const Endpoint& ep) {
  return rules::Endpoint{std::string(ep.address()),
                         std::string(ep.app_id()),
                         std::string(ep.private_instance_id()),
                         std::string(ep.private_instance_index()),
                         "",
                         ep.tls()};
}

}  // namespace cupola::router
