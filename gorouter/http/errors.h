#pragma once

#include <string_view>
#include <system_error>

namespace cupola::router::http {

// Which way a message travels through the router: a request from a client, or a response
// from a backend. The same defect is answered differently: a bad request gets a 4xx or 5xx
// of its own, a bad backend response always gets 502.
enum class Side { Request, Response };

// Why a message was refused. Every rejection is final: the router answers with the error's
// status (or drops the connection once it has started forwarding) and never forwards the
// message.
enum class ParseErrc {
  Ok = 0,
  // Start line.
  BadRequestLine,      // missing parts, wrong separators
  BadMethod,           // method is not a token
  BadTarget,           // request-target has a bad byte or the wrong form for its method
  BadVersion,          // not "HTTP/" DIGIT "." DIGIT
  UnsupportedVersion,  // well-formed but not HTTP/1.0 or HTTP/1.1 (505)
  StartLineTooLong,    // request line over Limits::max_start_line (414)
  BadStatusLine,       // response: not version SP 3DIGIT [SP reason]
  // Field lines (header section and trailer section).
  BadFieldName,           // empty, not a token, or no colon
  WhitespaceBeforeColon,  // "Name : value"
  ObsFold,                // a line starting with SP or HTAB (line folding)
  BadFieldValue,          // a control character in a value
  BareCr,                 // CR not followed by LF
  BareLf,                 // LF not preceded by CR
  NulByte,                // NUL anywhere in the head
  HeadTooLarge,           // head over Limits::max_head_bytes (431)
  TooManyHeaders,         // more than Limits::max_headers field lines (431)
  MissingHost,            // HTTP/1.1 request without Host
  DuplicateHost,          // more than one Host field line
  BadHost,                // Host value with bytes no host or port may hold
  // Body framing (RFC 9112 §6).
  BadContentLength,                   // not 1*DIGIT, empty list element, overflow
  ConflictingContentLength,           // differing values
  ContentLengthWithTransferEncoding,  // both present: ambiguous, a smuggling vector
  BadTransferEncoding,                // malformed list, chunked not final or repeated
  UnsupportedTransferEncoding,        // a coding other than chunked (501)
  TransferEncodingInHttp10,           // HTTP/1.0 message with Transfer-Encoding
  UnexpectedBody,                     // a CONNECT request with content
  // Chunked body.
  BadChunkSize,       // empty or non-hex chunk-size, stray bytes after it
  ChunkSizeOverflow,  // chunk-size over 2^63 - 1
  ChunkLineTooLong,   // chunk-size line over BodyLimits::max_chunk_line
  BadChunkExtension,  // a control character in a chunk extension
  MissingChunkCrlf,   // chunk data not followed by CRLF
  TrailersTooLarge,   // trailer section over BodyLimits limits (431)
  IncompleteBody,     // the connection closed before the body ended
};

// A rejection: the code, the status the router answers with, and a short reason for the
// response body and logs. `reason` points to static storage.
struct ParseError {
  ParseErrc code = ParseErrc::Ok;
  int status = 0;
  std::string_view reason;

  explicit operator bool() const noexcept { return code != ParseErrc::Ok; }
};

// The status the router answers a rejected message with. Requests: 414 for StartLineTooLong,
// 431 for HeadTooLarge, TooManyHeaders and TrailersTooLarge, 501 for
// UnsupportedTransferEncoding, 505 for UnsupportedVersion, 400 otherwise. Responses: 502.
int status_for(ParseErrc code, Side side) noexcept;

// A short, static reason phrase for `code`.
std::string_view reason_for(ParseErrc code) noexcept;

inline ParseError make_parse_error(ParseErrc code, Side side) noexcept {
  return {code, status_for(code, side), reason_for(code)};
}

const std::error_category& parse_category() noexcept;
inline std::error_code make_error_code(ParseErrc e) noexcept {
  return {static_cast<int>(e), parse_category()};
}

}  // namespace cupola::router::http

template <>
struct std::is_error_code_enum<cupola::router::http::ParseErrc> : std::true_type {};
