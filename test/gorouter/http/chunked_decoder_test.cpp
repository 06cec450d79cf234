// Chunked bodies decoded as they stream, their framing errors, and the other body kinds.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gorouter/http/body_reader.h"
#include "gorouter/http/chunked_decoder.h"
#include "test/gorouter/http/fixtures.h"

namespace cupola::router::http {
namespace {

using namespace std::string_literals;
using namespace cupola::router::http::testing;

TEST_CASE("ChunkedDecoder decodes chunked bodies", "[router][http][chunked]") {
  struct Case {
    std::string name;
    std::string bytes;
    std::string data;
    std::size_t trailers = 0;
  };
  const std::vector<Case> cases = {
      {"one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello"},
      {"several chunks, hex sizes in any case",
       "3\r\nabc\r\nA\r\n0123456789\r\nb\r\nhello world\r\n0\r\n\r\n", "abc0123456789hello world"},
      {"leading zeros", "0005\r\nhello\r\n000\r\n\r\n", "hello"},
      {"empty body", "0\r\n\r\n", ""},
      {"extensions", "5;name=value;flag\r\nhello\r\n3 ; q=\"a b\"\r\nabc\r\n0;last\r\n\r\n",
       "helloabc"},
      {"trailers", "5\r\nhello\r\n0\r\nChecksum: abc\r\nX-Empty:\r\nX-T:\tv v \r\n\r\n", "hello",
       3},
      {"CRLF inside data is data", "4\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{3}, c.bytes.size()}) {
      CAPTURE(piece);
      BodyReader reader(kChunked, Side::Request);
      const BodyOutcome out = read_body(reader, c.bytes + "GET /next", piece);
      CHECK(out.state == BodyState::Done);
      CHECK(out.data == c.data);
      CHECK(out.consumed == c.bytes.size());  // the next message is left alone
      CHECK(reader.done());
    }
    ChunkedDecoder decoder;
    std::string data;
    std::string_view in = c.bytes;
    BodyResult r;
    do {
      r = decoder.feed(in);
      data.append(r.data);
      in.remove_prefix(r.consumed);
    } while (r.state == BodyState::InProgress && !in.empty());
    CHECK(r.state == BodyState::Done);
    CHECK(data == c.data);
    CHECK(decoder.trailer_count() == c.trailers);
  }
}

TEST_CASE("ChunkedDecoder hands out data as views, one span per call", "[router][http][chunked]") {
  const std::string bytes = "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  ChunkedDecoder decoder;
  BodyResult r = decoder.feed(bytes);
  CHECK(r.state == BodyState::InProgress);
  CHECK(r.data == "abc");
  CHECK(r.data.data() == bytes.data() + 3);
  std::string_view rest = std::string_view(bytes).substr(r.consumed);
  r = decoder.feed(rest);
  CHECK(r.data == "de");
  CHECK(r.state == BodyState::Done);
  CHECK(r.consumed == rest.size());
  SECTION("a finished decoder stays finished") {
    CHECK(decoder.feed("5\r\nhello\r\n").state == BodyState::Done);
    CHECK(decoder.feed("5\r\nhello\r\n").consumed == 0);
  }
}

TEST_CASE("ChunkedDecoder refuses malformed framing", "[router][http][chunked]") {
  struct Case {
    std::string name;
    std::string bytes;
    ParseErrc code;
  };
  const std::vector<Case> cases = {
      {"no size", "\r\nhello\r\n0\r\n\r\n", ParseErrc::BadChunkSize},
      {"non-hex size", "g\r\n", ParseErrc::BadChunkSize},
      {"0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", ParseErrc::BadChunkSize},
      {"sign", "+5\r\nhello\r\n0\r\n\r\n", ParseErrc::BadChunkSize},
      {"negative", "-1\r\n", ParseErrc::BadChunkSize},
      {"space before size", " 5\r\nhello\r\n", ParseErrc::BadChunkSize},
      {"space after size", "5 \r\nhello\r\n", ParseErrc::BadChunkSize},
      {"size then garbage", "5x\r\nhello\r\n", ParseErrc::BadChunkSize},
      {"only an extension", ";x\r\n", ParseErrc::BadChunkSize},
      {"2^63", "8000000000000000\r\n", ParseErrc::ChunkSizeOverflow},
      {"2^64 + 1", "10000000000000001\r\n", ParseErrc::ChunkSizeOverflow},
      {"many digits", "fffffffffffffffffffff\r\n", ParseErrc::ChunkSizeOverflow},
      {"bare LF after size", "5\nhello\r\n0\r\n\r\n", ParseErrc::BareLf},
      {"bare CR after size", "5\rhello\r\n", ParseErrc::BareCr},
      {"control in extension", "5;a\x01\r\nhello\r\n", ParseErrc::BadChunkExtension},
      {"LF in extension", "5;a\nhello\r\n", ParseErrc::BareLf},
      {"NUL in extension", "5;a\0\r\nhello\r\n"s, ParseErrc::NulByte},
      {"data longer than size", "3\r\nhello\r\n0\r\n\r\n", ParseErrc::MissingChunkCrlf},
      {"data shorter than size", "6\r\nhello\r\n0\r\n\r\n", ParseErrc::MissingChunkCrlf},
      {"LF only after data", "5\r\nhello\n0\r\n\r\n", ParseErrc::MissingChunkCrlf},
      {"CR only after data", "5\r\nhello\r0\r\n\r\n", ParseErrc::MissingChunkCrlf},
      {"no CRLF after last chunk", "0\r\n", ParseErrc::Ok},
      {"bare LF ending the body", "0\r\n\n", ParseErrc::BareLf},
      {"bare CR ending the body", "0\r\n\rX", ParseErrc::BareCr},
      {"trailer whitespace before colon", "0\r\nX : y\r\n\r\n", ParseErrc::WhitespaceBeforeColon},
      {"trailer obs-fold", "0\r\nX: y\r\n z\r\n\r\n", ParseErrc::ObsFold},
      {"trailer without colon", "0\r\nX\r\n\r\n", ParseErrc::BadFieldName},
      {"trailer empty name", "0\r\n: y\r\n\r\n", ParseErrc::BadFieldName},
      {"trailer bare LF", "0\r\nX: y\n\r\n", ParseErrc::BareLf},
      {"trailer bare CR", "0\r\nX: y\rz\r\n\r\n", ParseErrc::BareCr},
      {"trailer NUL", "0\r\nX: \0\r\n\r\n"s, ParseErrc::NulByte},
      {"trailer control byte", "0\r\nX: \x7f\r\n\r\n", ParseErrc::BadFieldValue},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const BodyOutcome whole = read_body(kChunked, c.bytes);
    if (c.code == ParseErrc::Ok) {
      CHECK(whole.state == BodyState::InProgress);  // waits for the final CRLF
      continue;
    }
    CHECK(whole.state == BodyState::Error);
    CHECK(whole.code == c.code);
    CHECK(read_body(kChunked, c.bytes, 1) == whole);
    CHECK(read_body(kChunked, c.bytes, 1, Side::Response).code == c.code);
  }
  SECTION("errors carry the status to answer") {
    BodyReader request(kChunked, Side::Request);
    CHECK(request.feed("z\r\n").error.status == 400);
    BodyReader response(kChunked, Side::Response);
    CHECK(response.feed("z\r\n").error.status == 502);
    CHECK(response.feed("0\r\n\r\n").state == BodyState::Error);  // it stays failed
  }
  SECTION("2^63 - 1 is the largest chunk") {
    const BodyOutcome out = read_body(kChunked, "7fffffffffffffff\r\nabc");
    CHECK(out.state == BodyState::InProgress);
    CHECK(out.data == "abc");
  }
}

TEST_CASE("ChunkedDecoder bounds size lines and trailers", "[router][http][chunked]") {
  const BodyLimits limits{.max_chunk_line = 16, .max_trailer_bytes = 32, .max_trailers = 2};
  const auto read = [&](const std::string& bytes) {
    return read_body(kChunked, bytes, 1, Side::Request, limits);
  };
  CHECK(read("5;" + std::string(14, 'e') + "\r\nhello\r\n0\r\n\r\n").state == BodyState::Done);
  CHECK(read("5;" + std::string(15, 'e') + "\r\nhello\r\n").code == ParseErrc::ChunkLineTooLong);
  CHECK(read(std::string(17, '0') + "5\r\n").code == ParseErrc::ChunkLineTooLong);
  CHECK(read("0\r\nA: 1\r\nB: 2\r\n\r\n").state == BodyState::Done);
  CHECK(read("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").code == ParseErrc::TrailersTooLarge);
  CHECK(read("0\r\nA: " + std::string(40, 'x') + "\r\n\r\n").code == ParseErrc::TrailersTooLarge);

  SECTION("the defaults bound an endless extension or trailer") {
    const BodyOutcome ext = read_body(kChunked, "5;" + std::string(1 << 20, 'e'));
    CHECK(ext.code == ParseErrc::ChunkLineTooLong);
    CHECK(ext.consumed <= BodyLimits{}.max_chunk_line);
    const BodyOutcome trailer = read_body(kChunked, "0\r\nX: " + std::string(1 << 20, 'v'));
    CHECK(trailer.code == ParseErrc::TrailersTooLarge);
  }
  SECTION("too large trailers are a 431 for requests") {
    BodyReader reader(kChunked, Side::Request, limits);
    CHECK(reader.feed("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").error.status == 431);
  }
}

TEST_CASE("BodyReader reads each kind of body", "[router][http][body]") {
  SECTION("Content-Length stops at the length and leaves the rest") {
    for (std::size_t piece : {std::size_t{1}, std::size_t{4}, std::size_t{100}}) {
      const BodyOutcome out =
          read_body(BodyFraming{BodyKind::ContentLength, 10}, "0123456789GET /", piece);
      CHECK(out == BodyOutcome{"0123456789", 10, BodyState::Done});
    }
  }
  SECTION("Content-Length 0 and no body are done at once") {
    CHECK(read_body(BodyFraming{BodyKind::ContentLength, 0}, "GET /") ==
          BodyOutcome{"", 0, BodyState::Done});
    CHECK(read_body(BodyFraming{BodyKind::None, 0}, "GET /") ==
          BodyOutcome{"", 0, BodyState::Done});
    CHECK(read_body(BodyFraming{BodyKind::Tunnel, 0}, "\x16\x03\x01") ==
          BodyOutcome{"", 0, BodyState::Done});
  }
  SECTION("a connection closed early is an incomplete body") {
    BodyReader length(BodyFraming{BodyKind::ContentLength, 10}, Side::Request);
    CHECK(length.feed("01234").state == BodyState::InProgress);
    const BodyResult r = length.finish();
    CHECK(r.state == BodyState::Error);
    CHECK(r.error.code == ParseErrc::IncompleteBody);
    BodyReader chunked(kChunked, Side::Response);
    CHECK(chunked.feed("5\r\nhel").state == BodyState::InProgress);
    CHECK(chunked.finish().error.status == 502);
  }
  SECTION("a finished body ends cleanly on close") {
    BodyReader length(BodyFraming{BodyKind::ContentLength, 2}, Side::Request);
    CHECK(length.feed("ab").state == BodyState::Done);
    CHECK(length.finish().state == BodyState::Done);
  }
}

}  // namespace
}  // namespace cupola::router::http
