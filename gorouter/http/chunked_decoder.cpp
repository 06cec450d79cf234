#include "gorouter/http/chunked_decoder.h"

#include <algorithm>

#include "gorouter/http/chars.h"

namespace cupola::router::http {
namespace {

constexpr std::uint64_t kMaxChunkSize = 0x7fff'ffff'ffff'ffffULL;

ParseErrc control_error(char c, ParseErrc otherwise) {
  if (c == '\n') return ParseErrc::BareLf;
  if (c == '\0') return ParseErrc::NulByte;
  return otherwise;
}

}  // namespace

ChunkedDecoder::ChunkedDecoder(Side side, const BodyLimits& limits)
    : side_(side), limits_(limits) {}

void ChunkedDecoder::reset() noexcept {
  state_ = State::Size;
  size_ = 0;
  remaining_ = 0;
  line_size_ = 0;
  have_digit_ = false;
  trailers_ = 0;
  trailer_bytes_ = 0;
  error_ = {};
}

BodyResult ChunkedDecoder::fail(BodyResult& r, ParseErrc code, std::size_t at) {
  state_ = State::Failed;
  error_ = make_parse_error(code, side_);
  r.consumed = at;
  r.state = BodyState::Error;
  r.error = error_;
  return r;
}

// chunk-size [ chunk-ext ] CRLF, one byte at a time.
ParseErrc ChunkedDecoder::step_size_line(char c) {
  if (state_ != State::SizeLf && c != '\r' && ++line_size_ > limits_.max_chunk_line) {
    return ParseErrc::ChunkLineTooLong;
  }
  switch (state_) {
    case State::Size: {
      const int digit = detail::hex_value(c);
      if (digit >= 0) {
        if (size_ > (kMaxChunkSize - static_cast<std::uint64_t>(digit)) >> 4) {
          return ParseErrc::ChunkSizeOverflow;
        }
        size_ = (size_ << 4) | static_cast<std::uint64_t>(digit);
        have_digit_ = true;
      } else if (have_digit_ && c == '\r') {
        state_ = State::SizeLf;
      } else if (have_digit_ && c == ';') {
        state_ = State::Extension;
      } else if (have_digit_ && detail::is_ows(c)) {
        state_ = State::SizeSpace;
      } else {
        return control_error(c, ParseErrc::BadChunkSize);
      }
      return ParseErrc::Ok;
    }
    case State::SizeSpace:
      if (c == ';') {
        state_ = State::Extension;
      } else if (!detail::is_ows(c)) {
        return control_error(c, ParseErrc::BadChunkSize);
      }
      return ParseErrc::Ok;
    case State::Extension:
      if (c == '\r') {
        state_ = State::SizeLf;
      } else if (!detail::is_field_byte(c)) {
        return control_error(c, ParseErrc::BadChunkExtension);
      }
      return ParseErrc::Ok;
    default:  // SizeLf
      if (c != '\n') return ParseErrc::BareCr;
      if (size_ == 0) {
        state_ = State::FieldStart;
      } else {
        state_ = State::Data;
        remaining_ = size_;
      }
      size_ = 0;
      line_size_ = 0;
      have_digit_ = false;
      return ParseErrc::Ok;
  }
}

// trailer-section = *( field-line CRLF ) CRLF, with the header section's rules.
ParseErrc ChunkedDecoder::step_trailer(char c) {
  if (++trailer_bytes_ > limits_.max_trailer_bytes) return ParseErrc::TrailersTooLarge;
  switch (state_) {
    case State::FieldStart:
      if (c == '\r') {
        state_ = State::FinalLf;
      } else if (detail::is_token_byte(c)) {
        if (++trailers_ > limits_.max_trailers) return ParseErrc::TrailersTooLarge;
        state_ = State::Name;
      } else if (detail::is_ows(c)) {
        return ParseErrc::ObsFold;
      } else {
        return control_error(c, ParseErrc::BadFieldName);
      }
      return ParseErrc::Ok;
    case State::Name:
      if (c == ':') {
        state_ = State::Value;
      } else if (detail::is_ows(c)) {
        state_ = State::NameSpace;
      } else if (!detail::is_token_byte(c)) {
        return control_error(c, ParseErrc::BadFieldName);
      }
      return ParseErrc::Ok;
    case State::NameSpace:
      if (c == ':') return ParseErrc::WhitespaceBeforeColon;
      if (!detail::is_ows(c)) return control_error(c, ParseErrc::BadFieldName);
      return ParseErrc::Ok;
    case State::Value:
      if (c == '\r') {
        state_ = State::ValueLf;
      } else if (!detail::is_field_byte(c)) {
        return control_error(c, ParseErrc::BadFieldValue);
      }
      return ParseErrc::Ok;
    case State::ValueLf:
      if (c != '\n') return ParseErrc::BareCr;
      state_ = State::FieldStart;
      return ParseErrc::Ok;
    default:  // FinalLf
      if (c != '\n') return ParseErrc::BareCr;
      state_ = State::Done;
      return ParseErrc::Ok;
  }
}

BodyResult ChunkedDecoder::feed(std::string_view input) {
  BodyResult r;
  if (state_ == State::Done) {
    r.state = BodyState::Done;
    return r;
  }
  if (state_ == State::Failed) {
    r.state = BodyState::Error;
    r.error = error_;
    return r;
  }
  std::size_t i = 0;
  while (i < input.size()) {
    ParseErrc e = ParseErrc::Ok;
    switch (state_) {
      case State::Data: {
        if (!r.data.empty()) {  // one span per call
          r.consumed = i;
          return r;
        }
        const auto take =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size() - i));
        r.data = input.substr(i, take);
        remaining_ -= take;
        i += take;
        if (remaining_ == 0) state_ = State::DataCr;
        continue;
      }
      case State::DataCr:
      case State::DataLf:
        if (input[i] != (state_ == State::DataCr ? '\r' : '\n')) {
          return fail(r, ParseErrc::MissingChunkCrlf, i);
        }
        state_ = state_ == State::DataCr ? State::DataLf : State::Size;
        ++i;
        continue;
      case State::Size:
      case State::SizeSpace:
      case State::Extension:
      case State::SizeLf:
        e = step_size_line(input[i]);
        break;
      default:
        e = step_trailer(input[i]);
        break;
    }
    if (e != ParseErrc::Ok) return fail(r, e, i);
    ++i;
    if (state_ == State::Done) {
      r.consumed = i;
      r.state = BodyState::Done;
      return r;
    }
  }
  r.consumed = i;
  return r;
}

}  // namespace cupola::router::http
