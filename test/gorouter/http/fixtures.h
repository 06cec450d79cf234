#pragma once

// Feeding helpers shared by the HTTP parser tests: whole buffers, byte-at-a-time feeds into
// a growing (and moving) buffer, and the outcome of a feed reduced to comparable values.

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "gorouter/http/body_reader.h"
#include "gorouter/http/errors.h"
#include "gorouter/http/message.h"
#include "gorouter/http/request_parser.h"
#include "gorouter/http/response_parser.h"

namespace cupola::router::http::testing {

// What a head parse ended with, comparable across feeding strategies.
struct Outcome {
  HeadState state = HeadState::NeedMore;
  std::size_t consumed = 0;
  ParseErrc code = ParseErrc::Ok;
  int status = 0;

  bool operator==(const Outcome&) const = default;
};

inline const char* state_name(HeadState s) {
  switch (s) {
    case HeadState::NeedMore:
      return "NeedMore";
    case HeadState::Complete:
      return "Complete";
    case HeadState::Error:
      return "Error";
  }
  return "?";
}

inline std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  return os << "{" << state_name(o.state) << ", consumed " << o.consumed << ", "
            << reason_for(o.code) << ", " << o.status << "}";
}

inline Outcome outcome(const HeadResult& r) {
  return {r.state, r.consumed, r.error.code, r.error.status};
}

// Feeds `bytes` whole.
template <class Parser>
Outcome feed_whole(Parser& parser, std::string_view bytes) {
  return outcome(parser.feed(bytes));
}

// Feeds `bytes` one at a time into a buffer that grows (and moves) as a socket buffer would,
// stopping at the first result other than NeedMore. `buffer` keeps the bytes for head().
template <class Parser>
Outcome feed_bytewise(Parser& parser, std::string_view bytes, std::string& buffer) {
  buffer.clear();
  buffer.shrink_to_fit();
  HeadResult r;
  for (char c : bytes) {
    buffer.push_back(c);
    r = parser.feed(buffer);
    if (r.state != HeadState::NeedMore) break;
  }
  return outcome(r);
}

inline Outcome parse_request(std::string_view bytes, const Limits& limits = {}) {
  RequestParser parser(limits);
  return feed_whole(parser, bytes);
}

inline Outcome parse_response(std::string_view bytes, std::string_view method = "GET",
                              const Limits& limits = {}) {
  ResponseParser parser(limits);
  parser.reset(method);
  return feed_whole(parser, bytes);
}

// The outcome expected of a rejected request or response.
inline Outcome rejected(ParseErrc code, Side side = Side::Request) {
  return {HeadState::Error, 0, code, status_for(code, side)};
}

inline Outcome complete(std::size_t consumed) { return {HeadState::Complete, consumed}; }

// A body read to its end: the decoded bytes, how many input bytes it took, how it ended.
struct BodyOutcome {
  std::string data;
  std::size_t consumed = 0;
  BodyState state = BodyState::InProgress;
  ParseErrc code = ParseErrc::Ok;

  bool operator==(const BodyOutcome&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const BodyOutcome& o) {
  return os << "{data " << o.data.size() << " bytes, consumed " << o.consumed << ", state "
            << static_cast<int>(o.state) << ", " << reason_for(o.code) << "}";
}

// Feeds `bytes` to `reader` in pieces of at most `piece` bytes, as long as it makes
// progress, and collects what it returns.
inline BodyOutcome read_body(BodyReader& reader, std::string_view bytes,
                             std::size_t piece = std::string_view::npos) {
  BodyOutcome out;
  while (true) {
    const std::string_view in = bytes.substr(out.consumed, piece);
    const BodyResult r = reader.feed(in);
    out.data.append(r.data);
    out.consumed += r.consumed;
    out.state = r.state;
    out.code = r.error.code;
    if (r.state != BodyState::InProgress) break;
    // No progress on non-empty input would be a reader bug: stop so the test sees it.
    if (out.consumed == bytes.size() || (r.consumed == 0 && !in.empty())) break;
  }
  return out;
}

inline BodyOutcome read_body(BodyFraming framing, std::string_view bytes,
                             std::size_t piece = std::string_view::npos, Side side = Side::Request,
                             const BodyLimits& limits = {}) {
  BodyReader reader(framing, side, limits);
  return read_body(reader, bytes, piece);
}

inline constexpr BodyFraming kChunked{BodyKind::Chunked, 0};

}  // namespace cupola::router::http::testing
