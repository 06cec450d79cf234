// Requests a lenient parser would read one way and a backend another: every one is refused
// with the status the router answers, whole or byte by byte.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gorouter/http/request_parser.h"
#include "test/gorouter/http/fixtures.h"

namespace cupola::router::http {
namespace {

using namespace std::string_literals;
using namespace cupola::router::http::testing;

struct Case {
  std::string name;
  std::string bytes;
  ParseErrc code;
};

// A request with `fields` (each ending in CRLF) after the request line and Host.
std::string request(const std::string& fields, const std::string& line = "POST / HTTP/1.1") {
  return line + "\r\nHost: example.com\r\n" + fields + "\r\n";
}

void check_refused(const std::vector<Case>& cases, int status) {
  for (const Case& c : cases) {
    CAPTURE(c.name, c.bytes);
    const Outcome whole = parse_request(c.bytes);
    CHECK(whole == rejected(c.code));
    CHECK(whole.status == status);
    RequestParser parser;
    std::string buffer;
    CHECK(feed_bytewise(parser, c.bytes, buffer) == whole);
  }
}

TEST_CASE("Content-Length and Transfer-Encoding together are refused",
          "[router][http][smuggling]") {
  check_refused(
      {
          {"CL then TE", request("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n"),
           ParseErrc::ContentLengthWithTransferEncoding},
          {"TE then CL", request("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n"),
           ParseErrc::ContentLengthWithTransferEncoding},
          {"CL 0 with TE", request("content-length: 0\r\ntransfer-encoding: chunked\r\n"),
           ParseErrc::ContentLengthWithTransferEncoding},
          {"malformed CL with TE", request("Content-Length: x\r\nTransfer-Encoding: chunked\r\n"),
           ParseErrc::ContentLengthWithTransferEncoding},
      },
      400);
}

TEST_CASE("Content-Length must be one plain decimal", "[router][http][smuggling]") {
  check_refused(
      {
          {"differing duplicates", request("Content-Length: 4\r\nContent-Length: 5\r\n"),
           ParseErrc::ConflictingContentLength},
          {"differing list", request("Content-Length: 4, 5\r\n"),
           ParseErrc::ConflictingContentLength},
          {"plus sign", request("Content-Length: +4\r\n"), ParseErrc::BadContentLength},
          {"minus sign", request("Content-Length: -1\r\n"), ParseErrc::BadContentLength},
          {"inner space", request("Content-Length: 1 0\r\n"), ParseErrc::BadContentLength},
          {"hex", request("Content-Length: 0x10\r\n"), ParseErrc::BadContentLength},
          {"hex digits", request("Content-Length: 1a\r\n"), ParseErrc::BadContentLength},
          {"decimal point", request("Content-Length: 4.0\r\n"), ParseErrc::BadContentLength},
          {"empty", request("Content-Length:\r\n"), ParseErrc::BadContentLength},
          {"empty element", request("Content-Length: 4,,4\r\n"), ParseErrc::BadContentLength},
          {"trailing comma", request("Content-Length: 4,\r\n"), ParseErrc::BadContentLength},
          {"over 2^63-1", request("Content-Length: 9223372036854775808\r\n"),
           ParseErrc::BadContentLength},
          {"over 2^64", request("Content-Length: 18446744073709551617\r\n"),
           ParseErrc::BadContentLength},
          {"vertical tab", request("Content-Length: 4\v\r\n"), ParseErrc::BadFieldValue},
          {"CONNECT with content", request("Content-Length: 4\r\n", "CONNECT a.com:443 HTTP/1.1"),
           ParseErrc::UnexpectedBody},
      },
      400);

  SECTION("identical duplicates are accepted") {
    for (std::string fields : {"Content-Length: 4\r\nContent-Length: 4\r\n",
                               "Content-Length: 4, 4\r\n", "Content-Length: 04,4\r\n"}) {
      CAPTURE(fields);
      RequestParser parser;
      const std::string bytes = request(fields);
      REQUIRE(feed_whole(parser, bytes) == complete(bytes.size()));
      CHECK(parser.head().body.kind == BodyKind::ContentLength);
      CHECK(parser.head().body.length == 4);
    }
  }
  SECTION("2^63-1 is the largest length") {
    RequestParser parser;
    const std::string bytes = request("Content-Length: 9223372036854775807\r\n");
    REQUIRE(feed_whole(parser, bytes) == complete(bytes.size()));
    CHECK(parser.head().body.length == 9223372036854775807ULL);
  }
}

TEST_CASE("Transfer-Encoding must be exactly chunked", "[router][http][smuggling]") {
  check_refused(
      {
          {"chunked not last", request("Transfer-Encoding: chunked, gzip\r\n"),
           ParseErrc::BadTransferEncoding},
          {"chunked twice", request("Transfer-Encoding: chunked, chunked\r\n"),
           ParseErrc::BadTransferEncoding},
          {"chunked twice over lines",
           request("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
           ParseErrc::BadTransferEncoding},
          {"chunked then gzip over lines",
           request("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n"),
           ParseErrc::BadTransferEncoding},
          {"empty", request("Transfer-Encoding:\r\n"), ParseErrc::BadTransferEncoding},
          {"empty element", request("Transfer-Encoding: , chunked\r\n"),
           ParseErrc::BadTransferEncoding},
          {"parameter", request("Transfer-Encoding: chunked;q=1\r\n"),
           ParseErrc::BadTransferEncoding},
          {"inner space", request("Transfer-Encoding: chun ked\r\n"),
           ParseErrc::BadTransferEncoding},
          {"quoted", request("Transfer-Encoding: \"chunked\"\r\n"), ParseErrc::BadTransferEncoding},
          {"form feed", request("Transfer-Encoding: chunked\f\r\n"), ParseErrc::BadFieldValue},
          {"vertical tab", request("Transfer-Encoding:\vchunked\r\n"), ParseErrc::BadFieldValue},
          {"HTTP/1.0", request("Transfer-Encoding: chunked\r\n", "POST / HTTP/1.0"),
           ParseErrc::TransferEncodingInHttp10},
          {"CONNECT", request("Transfer-Encoding: chunked\r\n", "CONNECT a.com:443 HTTP/1.1"),
           ParseErrc::UnexpectedBody},
      },
      400);
  check_refused(
      {
          {"xchunked", request("Transfer-Encoding: xchunked\r\n"),
           ParseErrc::UnsupportedTransferEncoding},
          {"chunkedx", request("Transfer-Encoding: chunkedx\r\n"),
           ParseErrc::UnsupportedTransferEncoding},
          {"gzip", request("Transfer-Encoding: gzip\r\n"), ParseErrc::UnsupportedTransferEncoding},
          {"gzip, chunked", request("Transfer-Encoding: gzip, chunked\r\n"),
           ParseErrc::UnsupportedTransferEncoding},
          {"identity", request("Transfer-Encoding: identity\r\n"),
           ParseErrc::UnsupportedTransferEncoding},
      },
      501);

  SECTION("chunked in any case, with optional whitespace around the value, is accepted") {
    for (std::string fields :
         {"Transfer-Encoding: chunked\r\n", "transfer-encoding: CHUNKED\r\n",
          "Transfer-Encoding:chunked \t\r\n", "Transfer-Encoding: \tChunked\r\n"}) {
      CAPTURE(fields);
      RequestParser parser;
      const std::string bytes = request(fields);
      REQUIRE(feed_whole(parser, bytes) == complete(bytes.size()));
      CHECK(parser.head().body.kind == BodyKind::Chunked);
      // The value the proxy would forward has no surrounding whitespace.
      CHECK(parser.head().headers.value("transfer-encoding")->size() == 7);
    }
  }
  SECTION("no framing field means no body") {
    RequestParser parser;
    const std::string bytes = request("");
    REQUIRE(feed_whole(parser, bytes) == complete(bytes.size()));
    CHECK(parser.head().body.kind == BodyKind::None);
  }
}

TEST_CASE("Field lines follow the strict syntax", "[router][http][smuggling]") {
  check_refused(
      {
          {"space before colon", request("Transfer-Encoding : chunked\r\n"),
           ParseErrc::WhitespaceBeforeColon},
          {"tab before colon", request("Content-Length\t: 4\r\n"),
           ParseErrc::WhitespaceBeforeColon},
          {"obs-fold", request("X-A: a\r\n b\r\n"), ParseErrc::ObsFold},
          {"obs-fold with tab", request("X-A: a\r\n\tb\r\n"), ParseErrc::ObsFold},
          {"folded Transfer-Encoding", request("Transfer-Encoding:\r\n chunked\r\n"),
           ParseErrc::ObsFold},
          {"whitespace before the first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
           ParseErrc::ObsFold},
          {"bare CR in a value", request("X-A: a\rb\r\n"), ParseErrc::BareCr},
          {"bare CR ending a value", request("X-A: a\r\r\n"), ParseErrc::BareCr},
          {"bare CR in a name", request("X\r-A: a\r\n"), ParseErrc::BareCr},
          {"bare LF in a value", request("X-A: a\nb\r\n"), ParseErrc::BareLf},
          {"bare LF line end", request("X-A: a\n"), ParseErrc::BareLf},
          {"bare LF head end", "GET / HTTP/1.1\r\nHost: a\r\n\n", ParseErrc::BareLf},
          {"bare LF request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", ParseErrc::BareLf},
          {"NUL in a value", request("X-A: a\0b\r\n"s), ParseErrc::NulByte},
          {"NUL in a name", request("X\0A: a\r\n"s), ParseErrc::NulByte},
          {"DEL in a value", request("X-A: a\x7f\r\n"), ParseErrc::BadFieldValue},
          {"escape in a value", request("X-A: a\x1b[0m\r\n"), ParseErrc::BadFieldValue},
          {"no colon", request("X-A a\r\n"), ParseErrc::BadFieldName},
          {"only a name", request("X-A\r\n"), ParseErrc::BadFieldName},
          {"empty name", request(": a\r\n"), ParseErrc::BadFieldName},
          {"separator in a name", request("X(A): a\r\n"), ParseErrc::BadFieldName},
          {"non-ASCII name", request("X-\xc3\xa9: a\r\n"), ParseErrc::BadFieldName},
      },
      400);

  SECTION("obs-text and HTAB inside values are kept") {
    RequestParser parser;
    const std::string bytes = request("X-A: caf\xc3\xa9\tb\r\n");
    REQUIRE(feed_whole(parser, bytes) == complete(bytes.size()));
    CHECK(parser.head().headers.value("x-a") == "caf\xc3\xa9\tb");
  }
}

TEST_CASE("Heads over the limits are refused", "[router][http][smuggling]") {
  const Limits limits;  // 8 KiB request line, 32 KiB head, 100 fields

  SECTION("a request line over 8 KiB is 414") {
    const std::string line = "GET /" + std::string(limits.max_start_line, 'a') + " HTTP/1.1";
    const std::string bytes = line + "\r\nHost: a\r\n\r\n";
    CHECK(parse_request(bytes) == rejected(ParseErrc::StartLineTooLong));
    CHECK(parse_request(bytes).status == 414);
    RequestParser parser;
    std::string buffer;
    CHECK(feed_bytewise(parser, bytes, buffer) == rejected(ParseErrc::StartLineTooLong));
    SECTION("without waiting for its end") {
      RequestParser p;
      CHECK(feed_whole(p, line.substr(0, limits.max_start_line)) ==
            rejected(ParseErrc::StartLineTooLong));
    }
  }
  SECTION("a request line of exactly 8 KiB with its CRLF is fine") {
    const std::string target = "/" + std::string(limits.max_start_line - 16, 'a');
    const std::string bytes = "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
    REQUIRE(bytes.find("\r\n") + 2 == limits.max_start_line);
    CHECK(parse_request(bytes) == complete(bytes.size()));
  }
  SECTION("a head over 32 KiB is 431") {
    std::string fields;
    for (int i = 0; fields.size() < limits.max_head_bytes; ++i) {
      fields += "X-" + std::to_string(i) + ": " + std::string(1000, 'v') + "\r\n";
    }
    const std::string bytes = request(fields);
    CHECK(parse_request(bytes) == rejected(ParseErrc::HeadTooLarge));
    CHECK(parse_request(bytes).status == 431);
    RequestParser parser;
    std::string buffer;
    CHECK(feed_bytewise(parser, bytes, buffer) == rejected(ParseErrc::HeadTooLarge));
    SECTION("even as one endless field line") {
      RequestParser p;
      CHECK(feed_whole(p, request("X-A: " + std::string(limits.max_head_bytes, 'v'))) ==
            rejected(ParseErrc::HeadTooLarge));
    }
  }
  SECTION("a head of exactly the limit is fine") {
    const Limits small{.max_start_line = 64, .max_head_bytes = 64};
    const auto head = [](std::size_t value_size) {
      return "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(value_size, 'v') + "\r\n\r\n";
    };
    REQUIRE(head(32).size() == 64);
    CHECK(parse_request(head(32), small) == complete(64));
    CHECK(parse_request(head(32) + "body", small) == complete(64));
    CHECK(parse_request(head(33), small) == rejected(ParseErrc::HeadTooLarge));
  }
  SECTION("more than 100 field lines is 431") {
    std::string fields;
    for (int i = 0; i < 99; ++i) fields += "X-" + std::to_string(i) + ": v\r\n";
    CHECK(parse_request(request(fields)) == complete(request(fields).size()));  // 100 with Host
    fields += "X-last: v\r\n";
    CHECK(parse_request(request(fields)) == rejected(ParseErrc::TooManyHeaders));
    CHECK(parse_request(request(fields)).status == 431);
  }
  SECTION("the limits are configurable") {
    const Limits tight{.max_start_line = 32, .max_head_bytes = 256, .max_headers = 2};
    CHECK(parse_request("GET /" + std::string(40, 'a') + " HTTP/1.1\r\n\r\n", tight) ==
          rejected(ParseErrc::StartLineTooLong));
    CHECK(parse_request(request("A: 1\r\nB: 2\r\n"), tight) == rejected(ParseErrc::TooManyHeaders));
    CHECK(parse_request(request("A: " + std::string(300, 'x') + "\r\n"), tight) ==
          rejected(ParseErrc::HeadTooLarge));
  }
  SECTION("empty lines before the request line count towards the head") {
    const Limits small{.max_head_bytes = 64};
    std::string crlfs;
    for (int i = 0; i < 40; ++i) crlfs += "\r\n";
    CHECK(parse_request(crlfs + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", small) ==
          rejected(ParseErrc::HeadTooLarge));
  }
}

}  // namespace
}  // namespace cupola::router::http
