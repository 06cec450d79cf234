#include "gorouter/http/connection.h"

#include <array>

namespace cupola::router::http {
namespace {

constexpr std::array<std::string_view, 7> kHopByHop = {
    "connection", "keep-alive",        "proxy-connection", "te",
    "trailer",    "transfer-encoding", "upgrade"};

bool persistent(Version version, const Headers& headers) {
  if (headers.has_token("connection", "close")) return false;
  return version == Version::Http11 || headers.has_token("connection", "keep-alive");
}

}  // namespace

bool keep_alive(const RequestHead& head) { return persistent(head.version, head.headers); }

bool keep_alive(const ResponseHead& head) {
  if (head.body.kind == BodyKind::UntilClose || head.body.kind == BodyKind::Tunnel) return false;
  return persistent(head.version, head.headers);
}

bool wants_upgrade(const RequestHead& head) {
  return head.version == Version::Http11 && head.headers.has_token("connection", "upgrade") &&
         head.headers.contains("upgrade");
}

bool is_websocket_upgrade(const RequestHead& head) {
  return head.method == "GET" && wants_upgrade(head) &&
         head.headers.has_token("upgrade", "websocket");
}

bool expects_continue(const RequestHead& head) {
  if (head.version != Version::Http11) return false;
  const auto expect = head.headers.value("expect");
  return expect && iequals(*expect, "100-continue");
}

bool is_hop_by_hop(std::string_view name, const Headers& headers) {
  for (std::string_view h : kHopByHop) {
    if (iequals(name, h)) return true;
  }
  return headers.has_token("connection", name);
}

}  // namespace cupola::router::http
