#pragma once

// What the parsers produce: message heads whose strings are views into the caller's buffer,
// and how each message's body is delimited.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gorouter/http/errors.h"
#include "gorouter/http/headers.h"

namespace cupola::router::http {

enum class Version : std::uint8_t { Http10, Http11 };

// RFC 9112 §3.2.
enum class TargetForm : std::uint8_t {
  Origin,     // "/path?query"
  Absolute,   // "http://host/path" (http and https only)
  Authority,  // "host:port", CONNECT only
  Asterisk,   // "*", OPTIONS only
};

// How the body of a message ends (RFC 9112 §6.3).
enum class BodyKind : std::uint8_t {
  None,           // no body: the next byte starts the next message
  ContentLength,  // exactly BodyFraming::length bytes
  Chunked,        // chunked transfer coding, ends with the last chunk and trailers
  UntilClose,     // response only: everything until the backend closes the connection
  Tunnel,         // response only (101, 2xx to CONNECT): the connection stops being HTTP
};

struct BodyFraming {
  BodyKind kind = BodyKind::None;
  std::uint64_t length = 0;  // for ContentLength
};

struct RequestHead {
  std::string_view method;  // case-sensitive token, e.g. "GET"
  std::string_view target;  // as received, e.g. "/v2/apps?x=1"
  TargetForm form = TargetForm::Origin;
  Version version = Version::Http11;
  Headers headers;
  BodyFraming body;
};

struct ResponseHead {
  Version version = Version::Http11;
  int status = 0;           // 100-599
  std::string_view reason;  // may be empty
  Headers headers;
  BodyFraming body;
};

// Bounds on a message head. Exceeding one is an error, never a truncation.
struct Limits {
  // Request or status line including its CRLF (a longer request line is 414).
  std::size_t max_start_line = 8 * 1024;
  // The whole head: leading empty lines, start line, field lines and the final CRLF (431).
  // At most 4 GiB.
  std::size_t max_head_bytes = 32 * 1024;
  // Field lines (431).
  std::size_t max_headers = 100;
};

// Bounds on a chunked body's framing. Chunk data itself is streamed and not bounded here.
struct BodyLimits {
  // A chunk-size line (size and extensions) without its CRLF.
  std::size_t max_chunk_line = 4 * 1024;
  // The trailer section including its final CRLF, and its field lines (431).
  std::size_t max_trailer_bytes = 16 * 1024;
  std::size_t max_trailers = 100;
};

enum class HeadState : std::uint8_t { NeedMore, Complete, Error };

// What a head parser's feed() did.
struct HeadResult {
  // Complete: the length of the head; the body, or the next message, starts at this offset.
  // NeedMore and Error: 0.
  std::size_t consumed = 0;
  HeadState state = HeadState::NeedMore;
  ParseError error;  // Error
};

enum class BodyState : std::uint8_t {
  InProgress,  // call again with the unconsumed input, or with new input once it is all used
  Done,        // the body ended after `consumed` bytes; the rest is the next message
  Error,
};

// What a body reader's feed() did.
struct BodyResult {
  std::size_t consumed = 0;  // bytes of the input used, framing included
  std::string_view data;     // decoded body bytes: a view into the input, possibly empty
  BodyState state = BodyState::InProgress;
  ParseError error;  // Error
};

}  // namespace cupola::router::http
