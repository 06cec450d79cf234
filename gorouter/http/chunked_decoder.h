#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gorouter/http/errors.h"
#include "gorouter/http/message.h"

namespace cupola::router::http {

// Decodes a chunked body (RFC 9112 §7.1) as it streams: it keeps a few counters, never the
// body, and hands out chunk data as views into the input. Strict:
//  - chunk-size: 1*HEXDIG up to 2^63 - 1, then CRLF or [BWS] ";" extensions; anything else
//    is BadChunkSize, a larger size ChunkSizeOverflow;
//  - extensions are skipped unparsed, but must be field-value bytes (BadChunkExtension) and
//    the size line is bounded (ChunkLineTooLong);
//  - chunk data must be followed by CRLF (MissingChunkCrlf);
//  - trailer fields follow the header rules (no whitespace before the colon, no obs-fold,
//    no control bytes, CRLF only) and are bounded in count and bytes (TrailersTooLarge).
// Not thread-safe; one per message.
class ChunkedDecoder {
 public:
  explicit ChunkedDecoder(Side side = Side::Request, const BodyLimits& limits = {});

  // Decodes from the start of `input` until the end of the input, the end of the body, an
  // error, or the end of one span of chunk data (at most one span per call: result.data).
  // Any split of the body into inputs gives the same data and the same outcome. The bytes
  // in `consumed` can be forwarded as they are: the decoder has checked their framing. On
  // Error, `data` still holds chunk data read before the error in this call.
  BodyResult feed(std::string_view input);

  bool done() const noexcept { return state_ == State::Done; }
  // Trailer field lines seen so far.
  std::size_t trailer_count() const noexcept { return trailers_; }

  void reset() noexcept;

 private:
  enum class State : std::uint8_t {
    Size,        // chunk-size digits
    SizeSpace,   // BWS after the size, before ";"
    Extension,   // after ";" up to CR
    SizeLf,      // after the size line's CR
    Data,        // chunk data
    DataCr,      // CR after chunk data
    DataLf,      // LF after chunk data
    FieldStart,  // start of a trailer line, or of the final CRLF
    Name,        // trailer field name
    NameSpace,   // whitespace after a name: an error at the colon
    Value,       // trailer field value
    ValueLf,     // after a trailer line's CR
    FinalLf,     // after the final CR
    Done,
    Failed,
  };

  BodyResult fail(BodyResult& r, ParseErrc code, std::size_t at);
  ParseErrc step_size_line(char c);
  ParseErrc step_trailer(char c);

  Side side_;
  BodyLimits limits_;
  State state_ = State::Size;
  std::uint64_t size_ = 0;       // chunk-size being read
  std::uint64_t remaining_ = 0;  // chunk data still to come
  std::size_t line_size_ = 0;    // bytes of the size line so far
  bool have_digit_ = false;
  std::size_t trailers_ = 0;
  std::size_t trailer_bytes_ = 0;
  ParseError error_;
};

}  // namespace cupola::router::http
