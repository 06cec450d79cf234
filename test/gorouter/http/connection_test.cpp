// Connection semantics from parsed heads: persistence, upgrades, 100-continue, hop-by-hop.
#include <catch2/catch.hpp>

#include <string>

#include "gorouter/http/connection.h"
#include "gorouter/http/request_parser.h"
#include "gorouter/http/response_parser.h"

namespace cupola::router::http {
namespace {

// Parses `bytes` (which must stay alive while the head is used) as a complete request.
const RequestHead& request(RequestParser& parser, const std::string& bytes) {
  parser.reset();
  const HeadResult r = parser.feed(bytes);
  REQUIRE(r.state == HeadState::Complete);
  return parser.head();
}

TEST_CASE("keep_alive follows the version and Connection", "[router][http][connection]") {
  RequestParser p;
  std::string b;
  CHECK(keep_alive(request(p, b = "GET / HTTP/1.1\r\nHost: a\r\n\r\n")));
  CHECK_FALSE(keep_alive(request(p, b = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")));
  CHECK_FALSE(keep_alive(request(p, b = "GET / HTTP/1.1\r\nHost: a\r\nConnection: CLOSE\r\n\r\n")));
  CHECK_FALSE(keep_alive(
      request(p, b = "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n")));
  CHECK_FALSE(keep_alive(
      request(p, b = "GET / HTTP/1.1\r\nHost: a\r\nConnection: x\r\nConnection: close\r\n\r\n")));
  CHECK_FALSE(keep_alive(request(p, b = "GET / HTTP/1.0\r\n\r\n")));
  CHECK(keep_alive(request(p, b = "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")));
  CHECK_FALSE(keep_alive(request(p, b = "GET / HTTP/1.0\r\nConnection: keep-alive,close\r\n\r\n")));
  // "close" must be a whole element, not a substring.
  CHECK(keep_alive(request(p, b = "GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n")));

  SECTION("for responses, a body read until close ends the connection") {
    ResponseParser r;
    std::string bytes = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    REQUIRE(r.feed(bytes).state == HeadState::Complete);
    CHECK(keep_alive(r.head()));
    r.reset();
    bytes = "HTTP/1.1 200 OK\r\n\r\n";
    REQUIRE(r.feed(bytes).state == HeadState::Complete);
    CHECK_FALSE(keep_alive(r.head()));
    r.reset();
    bytes = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n";
    REQUIRE(r.feed(bytes).state == HeadState::Complete);
    CHECK(keep_alive(r.head()));
  }
}

TEST_CASE("Upgrades and WebSocket handshakes are detected", "[router][http][connection]") {
  RequestParser p;
  std::string b;
  const RequestHead& ws = request(
      p, b = "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  CHECK(wants_upgrade(ws));
  CHECK(is_websocket_upgrade(ws));
  CHECK(is_websocket_upgrade(
      request(p, b = "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, upgrade\r\n"
                     "Upgrade: WebSocket\r\n\r\n")));

  const RequestHead& h2c =
      request(p, b = "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n");
  CHECK(wants_upgrade(h2c));
  CHECK_FALSE(is_websocket_upgrade(h2c));

  CHECK_FALSE(
      wants_upgrade(request(p, b = "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n")));
  CHECK_FALSE(
      wants_upgrade(request(p, b = "GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n")));
  CHECK_FALSE(wants_upgrade(
      request(p, b = "GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n")));
  CHECK_FALSE(is_websocket_upgrade(request(
      p, b = "POST / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n")));
}

TEST_CASE("Expect: 100-continue is detected in HTTP/1.1 only", "[router][http][connection]") {
  RequestParser p;
  std::string b;
  CHECK(expects_continue(request(
      p, b = "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-Continue\r\n\r\n")));
  CHECK_FALSE(expects_continue(request(p, b = "PUT /x HTTP/1.1\r\nHost: a\r\n\r\n")));
  CHECK_FALSE(
      expects_continue(request(p, b = "PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n")));
  CHECK_FALSE(expects_continue(request(p, b = "PUT /x HTTP/1.0\r\nExpect: 100-continue\r\n\r\n")));
}

TEST_CASE("is_hop_by_hop names the fixed list and Connection's options",
          "[router][http][connection]") {
  RequestParser p;
  std::string b;
  const RequestHead& head =
      request(p, b = "GET / HTTP/1.1\r\nHost: a\r\nConnection: X-Session, keep-alive\r\n"
                     "X-Session: 1\r\nX-Other: 2\r\n\r\n");
  for (const char* name : {"Connection", "keep-alive", "Proxy-Connection", "TE", "Trailer",
                           "transfer-encoding", "UPGRADE", "x-session"}) {
    CAPTURE(name);
    CHECK(is_hop_by_hop(name, head.headers));
  }
  for (const char* name : {"X-Other", "Host", "Content-Length", "Authorization"}) {
    CAPTURE(name);
    CHECK_FALSE(is_hop_by_hop(name, head.headers));
  }
}

}  // namespace
}  // namespace cupola::router::http
