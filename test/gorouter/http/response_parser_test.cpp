// Backend responses: status lines, which responses have a body and how it ends, and the 502
// every malformed response gets.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gorouter/http/connection.h"
#include "gorouter/http/response_parser.h"
#include "test/gorouter/http/fixtures.h"

namespace cupola::router::http {
namespace {

using namespace std::string_literals;
using namespace cupola::router::http::testing;

struct Parsed {
  Outcome outcome;
  BodyFraming body;
  int status = 0;
  std::string reason;
};

Parsed parse(const std::string& bytes, std::string_view method = "GET") {
  ResponseParser parser;
  parser.reset(method);
  Parsed p;
  p.outcome = feed_whole(parser, bytes);
  if (p.outcome.state == HeadState::Complete) {
    p.body = parser.head().body;
    p.status = parser.head().status;
    p.reason = std::string(parser.head().reason);
  }
  return p;
}

TEST_CASE("ResponseParser parses status lines", "[router][http][response]") {
  SECTION("version, status and reason") {
    const Parsed p = parse("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    REQUIRE(p.outcome.state == HeadState::Complete);
    CHECK(p.status == 404);
    CHECK(p.reason == "Not Found");
  }
  SECTION("an empty reason, with or without its space") {
    CHECK(parse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").reason.empty());
    CHECK(parse("HTTP/1.0 200\r\nContent-Length: 0\r\n\r\n").status == 200);
  }
  SECTION("malformed status lines are a 502") {
    struct Case {
      std::string line;
      ParseErrc code;
    };
    const std::vector<Case> cases = {
        {"HTTP/1.1 20 OK", ParseErrc::BadStatusLine},
        {"HTTP/1.1 2000 OK", ParseErrc::BadStatusLine},
        {"HTTP/1.1 099 Odd", ParseErrc::BadStatusLine},
        {"HTTP/1.1 600 Odd", ParseErrc::BadStatusLine},
        {"HTTP/1.1  200 OK", ParseErrc::BadStatusLine},
        {"HTTP/1.1 2x0 OK", ParseErrc::BadStatusLine},
        {"HTTP/1.1 200\tOK", ParseErrc::BadStatusLine},
        {"HTTP/1.1 200 O\x01K", ParseErrc::BadStatusLine},
        {"HTTP/1.1 200 O\rK", ParseErrc::BareCr},
        {"HTTP/1.1 200 OK\0"s, ParseErrc::NulByte},
        {"HTTP/2.0 200 OK", ParseErrc::UnsupportedVersion},
        {"HTTX/1.1 200 OK", ParseErrc::BadVersion},
        {"ICY 200 OK", ParseErrc::BadStatusLine},
        {"", ParseErrc::BadStatusLine},
    };
    for (const Case& c : cases) {
      CAPTURE(c.line);
      const std::string bytes = c.line + "\r\nContent-Length: 0\r\n\r\n";
      const Parsed p = parse(bytes);
      CHECK(p.outcome == rejected(c.code, Side::Response));
      CHECK(p.outcome.status == 502);
      ResponseParser parser;
      std::string buffer;
      CHECK(feed_bytewise(parser, bytes, buffer) == p.outcome);
    }
  }
  SECTION("empty lines before a status line are not skipped") {
    CHECK(parse("\r\nHTTP/1.1 200 OK\r\n\r\n").outcome ==
          rejected(ParseErrc::BadStatusLine, Side::Response));
  }
}

TEST_CASE("ResponseParser decides which responses have a body", "[router][http][response]") {
  SECTION("a response to HEAD has none, whatever its fields say") {
    const Parsed p = parse("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", "HEAD");
    CHECK(p.outcome.state == HeadState::Complete);
    CHECK(p.body.kind == BodyKind::None);
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "HEAD").body.kind ==
          BodyKind::None);
  }
  SECTION("204, 304 and interim 1xx have none") {
    for (std::string status :
         {"204 No Content", "304 Not Modified", "100 Continue", "103 Early Hints"}) {
      CAPTURE(status);
      const Parsed p = parse("HTTP/1.1 " + status + "\r\nContent-Length: 10\r\n\r\n");
      CHECK(p.outcome.state == HeadState::Complete);
      CHECK(p.body.kind == BodyKind::None);
    }
  }
  SECTION("101 and a 2xx to CONNECT become tunnels") {
    CHECK(parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\n\r\n")
              .body.kind == BodyKind::Tunnel);
    CHECK(parse("HTTP/1.1 200 Connection Established\r\n\r\n", "CONNECT").body.kind ==
          BodyKind::Tunnel);
    CHECK(parse("HTTP/1.1 407 Proxy Auth\r\nContent-Length: 2\r\n\r\n", "CONNECT").body.kind ==
          BodyKind::ContentLength);
  }
  SECTION("chunked as the final coding") {
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").body.kind ==
          BodyKind::Chunked);
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n").body.kind ==
          BodyKind::Chunked);
  }
  SECTION("a coding other than chunked last means read until close") {
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n").body.kind ==
          BodyKind::UntilClose);
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").body.kind ==
          BodyKind::UntilClose);
  }
  SECTION("Content-Length") {
    const Parsed p = parse("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n");
    CHECK(p.body.kind == BodyKind::ContentLength);
    CHECK(p.body.length == 42);
  }
  SECTION("no framing field means read until close") {
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n").body.kind ==
          BodyKind::UntilClose);
    CHECK(parse("HTTP/1.0 200 OK\r\n\r\n").body.kind == BodyKind::UntilClose);
  }
}

TEST_CASE("ResponseParser refuses ambiguous framing with a 502", "[router][http][response]") {
  struct Case {
    std::string fields;
    ParseErrc code;
    std::string line = "HTTP/1.1 200 OK";
  };
  const std::vector<Case> cases = {
      {"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
       ParseErrc::ContentLengthWithTransferEncoding},
      {"Content-Length: 3\r\nContent-Length: 4\r\n", ParseErrc::ConflictingContentLength},
      {"Content-Length: -3\r\n", ParseErrc::BadContentLength},
      {"Transfer-Encoding: chunked, chunked\r\n", ParseErrc::BadTransferEncoding},
      {"Transfer-Encoding: chunked;x\r\n", ParseErrc::BadTransferEncoding},
      {"Transfer-Encoding: chunked\r\n", ParseErrc::TransferEncodingInHttp10, "HTTP/1.0 200 OK"},
      {"X : y\r\n", ParseErrc::WhitespaceBeforeColon},
      {"X: y\r\n z\r\n", ParseErrc::ObsFold},
  };
  for (const Case& c : cases) {
    CAPTURE(c.fields);
    CHECK(parse(c.line + "\r\n" + c.fields + "\r\n").outcome == rejected(c.code, Side::Response));
  }
}

TEST_CASE("ResponseParser reads a response after an interim one", "[router][http][response]") {
  const std::string stream =
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  ResponseParser parser;
  parser.reset("POST");
  HeadResult r = parser.feed(stream);
  REQUIRE(r.state == HeadState::Complete);
  CHECK(parser.head().status == 100);
  const std::string_view rest = std::string_view(stream).substr(r.consumed);
  parser.reset("POST");
  r = parser.feed(rest);
  REQUIRE(r.state == HeadState::Complete);
  CHECK(parser.head().status == 201);
  CHECK(read_body(parser.head().body, rest.substr(r.consumed)).data == "ok");
}

TEST_CASE("A response read until close ends when the backend closes", "[router][http][response]") {
  ResponseParser parser;
  const std::string bytes = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, part two";
  const HeadResult r = parser.feed(bytes);
  REQUIRE(r.state == HeadState::Complete);
  REQUIRE(parser.head().body.kind == BodyKind::UntilClose);
  CHECK_FALSE(keep_alive(parser.head()));

  BodyReader reader(parser.head().body, Side::Response);
  const BodyOutcome body = read_body(reader, std::string_view(bytes).substr(r.consumed), 5);
  CHECK(body.state == BodyState::InProgress);
  CHECK(body.data == "part one, part two");
  CHECK(reader.finish().state == BodyState::Done);
  CHECK(reader.done());
}

}  // namespace
}  // namespace cupola::router::http
