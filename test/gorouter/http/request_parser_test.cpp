// Request heads that parse: the request line's forms, field lines, incremental feeding,
// pipelining; and request lines that do not.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gorouter/http/request_parser.h"
#include "test/gorouter/http/fixtures.h"

namespace cupola::router::http {
namespace {

using namespace std::string_literals;
using namespace cupola::router::http::testing;

TEST_CASE("RequestParser parses a request head", "[router][http][request]") {
  const std::string bytes =
      "POST /v2/apps?q=1 HTTP/1.1\r\n"
      "Host: api.example.com:8080\r\n"
      "Content-Type:application/json\r\n"
      "X-Padded: \t  spaced value \t \r\n"
      "X-Empty:\r\n"
      "Content-Length: 5\r\n"
      "\r\n"
      "hello";
  RequestParser parser;
  const HeadResult r = parser.feed(bytes);
  REQUIRE(r.state == HeadState::Complete);
  CHECK(r.consumed == bytes.size() - 5);
  const RequestHead& head = parser.head();
  CHECK(head.method == "POST");
  CHECK(head.target == "/v2/apps?q=1");
  CHECK(head.form == TargetForm::Origin);
  CHECK(head.version == Version::Http11);
  REQUIRE(head.headers.size() == 5);
  CHECK(head.headers[0].name == "Host");
  CHECK(head.headers[0].value == "api.example.com:8080");
  CHECK(head.headers[1].value == "application/json");
  CHECK(head.headers[2].value == "spaced value");
  CHECK(head.headers[3].value.empty());
  CHECK(head.body.kind == BodyKind::ContentLength);
  CHECK(head.body.length == 5);

  SECTION("its views point into the caller's buffer") {
    CHECK(head.method.data() == bytes.data());
    CHECK(head.headers[0].value.data() == bytes.data() + bytes.find("api."));
  }
  SECTION("lookups ignore the case of names") {
    CHECK(head.headers.value("content-type") == "application/json");
    CHECK(head.headers.value("CONTENT-LENGTH") == "5");
    CHECK(head.headers.count("x-empty") == 1);
    CHECK_FALSE(head.headers.value("x-missing").has_value());
  }
  SECTION("feeding it again returns the same result") {
    CHECK(outcome(parser.feed(bytes)) == outcome(r));
  }
}

TEST_CASE("RequestParser accepts the four request-target forms", "[router][http][request]") {
  struct Case {
    std::string line;
    TargetForm form;
  };
  const std::vector<Case> cases = {
      {"GET /a/b?c=d HTTP/1.1", TargetForm::Origin},
      {"GET http://example.com/a HTTP/1.1", TargetForm::Absolute},
      {"GET HTTPS://example.com:8443?x HTTP/1.1", TargetForm::Absolute},
      {"CONNECT example.com:443 HTTP/1.1", TargetForm::Authority},
      {"CONNECT [::1]:443 HTTP/1.1", TargetForm::Authority},
      {"OPTIONS * HTTP/1.1", TargetForm::Asterisk},
  };
  for (const Case& c : cases) {
    CAPTURE(c.line);
    RequestParser parser;
    const std::string bytes = c.line + "\r\nHost: example.com\r\n\r\n";
    REQUIRE(feed_whole(parser, bytes) == complete(bytes.size()));
    CHECK(parser.head().form == c.form);
  }
}

TEST_CASE("RequestParser refuses malformed request lines", "[router][http][request]") {
  struct Case {
    std::string line;
    ParseErrc code;
  };
  const std::vector<Case> cases = {
      {"GET  / HTTP/1.1", ParseErrc::BadTarget},
      {"GET /  HTTP/1.1", ParseErrc::BadVersion},
      {"GET\t/ HTTP/1.1", ParseErrc::BadMethod},
      {" GET / HTTP/1.1", ParseErrc::BadMethod},
      {"G(T / HTTP/1.1", ParseErrc::BadMethod},
      {"GET /", ParseErrc::BadRequestLine},
      {"GET", ParseErrc::BadRequestLine},
      {"GET / HTTP/1.1 ", ParseErrc::BadVersion},
      {"GET / http/1.1", ParseErrc::BadVersion},
      {"GET / HTTP/1.10", ParseErrc::BadVersion},
      {"GET / HTTP/11", ParseErrc::BadVersion},
      {"GET / HTTP/2.0", ParseErrc::UnsupportedVersion},
      {"GET / HTTP/1.2", ParseErrc::UnsupportedVersion},
      {"GET / HTTP/0.9", ParseErrc::UnsupportedVersion},
      {"GET /a\x7f HTTP/1.1", ParseErrc::BadTarget},
      {"GET /caf\xc3\xa9 HTTP/1.1", ParseErrc::BadTarget},
      {"GET /a\rb HTTP/1.1", ParseErrc::BareCr},
      {"GET a/b HTTP/1.1", ParseErrc::BadTarget},
      {"GET * HTTP/1.1", ParseErrc::BadTarget},
      {"GET example.com:80 HTTP/1.1", ParseErrc::BadTarget},
      {"GET ftp://example.com/ HTTP/1.1", ParseErrc::BadTarget},
      {"GET http://user@example.com/ HTTP/1.1", ParseErrc::BadTarget},
      {"GET http:///path HTTP/1.1", ParseErrc::BadTarget},
      {"CONNECT / HTTP/1.1", ParseErrc::BadTarget},
      {"CONNECT example.com HTTP/1.1", ParseErrc::BadTarget},
      {"CONNECT example.com:99999 HTTP/1.1", ParseErrc::BadTarget},
  };
  for (const Case& c : cases) {
    CAPTURE(c.line);
    const std::string bytes = c.line + "\r\nHost: example.com\r\n\r\n";
    const Outcome whole = parse_request(bytes);
    CHECK(whole == rejected(c.code));
    RequestParser parser;
    std::string buffer;
    CHECK(feed_bytewise(parser, bytes, buffer) == whole);
  }
  SECTION("an unsupported version is answered with 505") {
    CHECK(parse_request("GET / HTTP/2.0\r\n\r\n").status == 505);
  }
  SECTION("a NUL in the request line is refused") {
    CHECK(parse_request("GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n"s) == rejected(ParseErrc::NulByte));
  }
}

TEST_CASE("RequestParser handles HTTP/1.0 and the Host header", "[router][http][request]") {
  SECTION("HTTP/1.0 needs no Host") {
    RequestParser parser;
    REQUIRE(feed_whole(parser, "GET / HTTP/1.0\r\n\r\n") == complete(18));
    CHECK(parser.head().version == Version::Http10);
    CHECK(parser.head().body.kind == BodyKind::None);
  }
  SECTION("HTTP/1.1 without Host is refused") {
    CHECK(parse_request("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n") ==
          rejected(ParseErrc::MissingHost));
  }
  SECTION("two Host fields are refused, in any version and any case") {
    CHECK(parse_request("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n") ==
          rejected(ParseErrc::DuplicateHost));
    CHECK(parse_request("GET / HTTP/1.0\r\nHost: a\r\nHOST: a\r\n\r\n") ==
          rejected(ParseErrc::DuplicateHost));
  }
  SECTION("a Host that is not host[:port] is refused") {
    for (std::string host : {"a b", "a,b@c", "a:x", "a:123456", "[zz]", "exa%zzmple", ":80"}) {
      CAPTURE(host);
      CHECK(parse_request("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n") ==
            rejected(ParseErrc::BadHost));
    }
  }
  SECTION("an empty Host, an IPv6 literal and a port are fine") {
    for (std::string host : {"", "[2001:db8::1]:8080", "example.com:80", "xn--d1a.example"}) {
      CAPTURE(host);
      const std::string bytes = "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
      CHECK(parse_request(bytes) == complete(bytes.size()));
    }
  }
}

TEST_CASE("RequestParser skips empty lines before a request line", "[router][http][request]") {
  RequestParser parser;
  const std::string bytes = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
  REQUIRE(feed_whole(parser, bytes) == complete(bytes.size()));
  CHECK(parser.head().target == "/");
  SECTION("but not bare LFs") {
    CHECK(parse_request("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") == rejected(ParseErrc::BareLf));
  }
}

// Each valid message gives the same head fed whole, split in two at every byte, or byte by
// byte into a buffer that moves as it grows.
TEST_CASE("RequestParser gives the same result however the bytes arrive",
          "[router][http][request]") {
  const std::vector<std::string> messages = {
      "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
      "\r\nPOST /upload HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n"
      "Expect: 100-continue\r\n\r\n",
      "OPTIONS * HTTP/1.0\r\nUser-Agent: t\r\nX:\r\n\r\n",
      "GET http://example.com/x HTTP/1.1\r\nHost: example.com\r\nCookie: a=b; c=d\r\n"
      "Content-Length: 0\r\n\r\n",
  };
  for (const std::string& bytes : messages) {
    CAPTURE(bytes);
    RequestParser whole_parser;
    REQUIRE(feed_whole(whole_parser, bytes) == complete(bytes.size()));
    const RequestHead& expected = whole_parser.head();

    RequestParser bytewise_parser;
    std::string buffer;
    REQUIRE(feed_bytewise(bytewise_parser, bytes, buffer) == complete(bytes.size()));
    const RequestHead& got = bytewise_parser.head();
    CHECK(got.method == expected.method);
    CHECK(got.target == expected.target);
    CHECK(got.version == expected.version);
    CHECK(got.body.kind == expected.body.kind);
    REQUIRE(got.headers.size() == expected.headers.size());
    for (std::size_t i = 0; i < got.headers.size(); ++i) {
      CHECK(got.headers[i].name == expected.headers[i].name);
      CHECK(got.headers[i].value == expected.headers[i].value);
      CHECK(got.headers[i].name.data() >= buffer.data());
      CHECK(got.headers[i].name.data() < buffer.data() + buffer.size());
    }

    for (std::size_t split = 0; split <= bytes.size(); ++split) {
      RequestParser parser;
      const HeadResult first = parser.feed(std::string_view(bytes).substr(0, split));
      if (split < bytes.size()) {
        REQUIRE(first.state == HeadState::NeedMore);
        REQUIRE(outcome(parser.feed(bytes)) == complete(bytes.size()));
      } else {
        REQUIRE(outcome(first) == complete(bytes.size()));
      }
      CHECK(parser.head().headers.size() == expected.headers.size());
    }
  }
}

TEST_CASE("RequestParser reads pipelined requests one after another", "[router][http][request]") {
  const std::string stream =
      "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
      "POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\nde\r\n0\r\n\r\n"
      "GET /c HTTP/1.1\r\nHost: h\r\n\r\n"
      "GET /d HTTP/1.0\r\n\r\n";
  const std::vector<std::string> expected_targets = {"/a", "/b", "/c", "/d"};
  const std::vector<std::string> expected_bodies = {"abc", "de", "", ""};

  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, stream.size()}) {
    CAPTURE(piece);
    RequestParser parser;
    std::string_view rest = stream;
    std::vector<std::string> targets;
    std::vector<std::string> bodies;
    while (!rest.empty()) {
      // The head: feed a growing prefix of the rest, `piece` bytes more each time.
      HeadResult head;
      for (std::size_t n = std::min(piece, rest.size());; n = std::min(n + piece, rest.size())) {
        head = parser.feed(rest.substr(0, n));
        if (head.state != HeadState::NeedMore || n == rest.size()) break;
      }
      REQUIRE(head.state == HeadState::Complete);
      targets.emplace_back(parser.head().target);
      rest.remove_prefix(head.consumed);
      BodyReader reader(parser.head().body, Side::Request);
      const BodyOutcome body = read_body(reader, rest, piece);
      REQUIRE(body.state == BodyState::Done);
      bodies.push_back(body.data);
      rest.remove_prefix(body.consumed);
      parser.reset();
    }
    CHECK(targets == expected_targets);
    CHECK(bodies == expected_bodies);
  }
}

}  // namespace
}  // namespace cupola::router::http
