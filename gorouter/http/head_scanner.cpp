#include "gorouter/http/head_scanner.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>

#include "gorouter/http/chars.h"

namespace cupola::router::http::detail {

HeadScanner::HeadScanner(Side side, const Limits& limits) : side_(side), limits_(limits) {
  assert(limits_.max_head_bytes <= std::numeric_limits<std::uint32_t>::max());
  fields_.reserve(std::min<std::size_t>(limits_.max_headers, 128));
}

void HeadScanner::reset() noexcept {
  line_start_ = 0;
  scanned_ = 0;
  start_line_done_ = false;
  fields_.clear();
}

// `reached` is the offset of the current line's LF, or the size of the data when the line
// is not complete yet (its LF can only come later). Either way the check is "the LF is at
// or beyond the threshold", so the answer is the same however the bytes arrived; when both
// limits are crossed, the one with the lower threshold is reported, as a byte-at-a-time
// feed would see it first.
ParseErrc HeadScanner::limit_error(std::size_t reached) const noexcept {
  const std::size_t head_threshold = limits_.max_head_bytes;
  const std::size_t line_threshold = start_line_done_ ? std::numeric_limits<std::size_t>::max()
                                                      : line_start_ + limits_.max_start_line;
  if (reached < std::min(head_threshold, line_threshold)) return ParseErrc::Ok;
  return line_threshold <= head_threshold ? ParseErrc::StartLineTooLong : ParseErrc::HeadTooLarge;
}

ScanStep HeadScanner::next(std::string_view data) {
  assert(data.size() >= scanned_);
  for (;;) {
    const void* lf_ptr = scanned_ < data.size()
                             ? std::memchr(data.data() + scanned_, '\n', data.size() - scanned_)
                             : nullptr;
    if (lf_ptr == nullptr) {
      scanned_ = data.size();
      if (const ParseErrc e = limit_error(data.size()); e != ParseErrc::Ok) {
        return {ScanState::Error, e};
      }
      return {};
    }
    const auto lf = static_cast<std::size_t>(static_cast<const char*>(lf_ptr) - data.data());
    if (const ParseErrc e = limit_error(lf); e != ParseErrc::Ok) return {ScanState::Error, e};
    if (lf == line_start_ || data[lf - 1] != '\r') return {ScanState::Error, ParseErrc::BareLf};
    const std::size_t begin = line_start_;
    const std::size_t end = lf - 1;
    line_start_ = scanned_ = lf + 1;

    if (!start_line_done_) {
      // A server should ignore empty lines before a request line (RFC 9112 §2.2); they
      // still count towards the head's size.
      if (begin == end && side_ == Side::Request) continue;
      start_line_done_ = true;
      return {ScanState::StartLine, ParseErrc::Ok, begin, end};
    }
    if (begin == end) return {ScanState::Complete, ParseErrc::Ok, 0, line_start_};
    if (fields_.size() == limits_.max_headers) return {ScanState::Error, ParseErrc::TooManyHeaders};
    if (const ParseErrc e = add_field(data.data(), begin, end); e != ParseErrc::Ok) {
      return {ScanState::Error, e};
    }
  }
}

// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5), with no whitespace before
// the colon and no obs-fold. `end` excludes the CRLF.
ParseErrc HeadScanner::add_field(const char* base, std::size_t begin, std::size_t end) {
  const char* const line = base + begin;
  const char* const line_end = base + end;
  // A line starting with whitespace continues the previous one (obs-fold), or, before the
  // first field, hides a field from some parsers (RFC 9112 §2.2): reject both.
  if (is_ows(*line)) return ParseErrc::ObsFold;

  const char* name_end = line;
  while (name_end < line_end && is_token_byte(*name_end)) ++name_end;
  if (name_end == line_end) return ParseErrc::BadFieldName;
  if (*name_end != ':') {
    if (is_ows(*name_end) && name_end != line) {
      const char* p = name_end;
      while (p < line_end && is_ows(*p)) ++p;
      if (p < line_end && *p == ':') return ParseErrc::WhitespaceBeforeColon;
    }
    return unexpected_byte(*name_end, ParseErrc::BadFieldName);
  }
  if (name_end == line) return ParseErrc::BadFieldName;

  const char* value = name_end + 1;
  while (value < line_end && is_ows(*value)) ++value;
  const char* value_end = value;
  while (value_end < line_end && is_field_byte(*value_end)) ++value_end;
  if (value_end != line_end) return unexpected_byte(*value_end, ParseErrc::BadFieldValue);
  while (value_end > value && is_ows(value_end[-1])) --value_end;

  fields_.push_back(
      {static_cast<std::uint32_t>(line - base), static_cast<std::uint32_t>(name_end - line),
       static_cast<std::uint32_t>(value - base), static_cast<std::uint32_t>(value_end - value)});
  return ParseErrc::Ok;
}

void HeadScanner::fill(std::string_view data, Headers& out) const {
  out.clear();
  for (const FieldPos& f : fields_) {
    out.add(data.substr(f.name_offset, f.name_size), data.substr(f.value_offset, f.value_size));
  }
}

ParseErrc parse_version(std::string_view text, Version& out) noexcept {
  if (text.size() != 8 || text.substr(0, 5) != "HTTP/" || !is_digit(text[5]) || text[6] != '.' ||
      !is_digit(text[7])) {
    return ParseErrc::BadVersion;
  }
  if (text[5] != '1' || (text[7] != '0' && text[7] != '1')) return ParseErrc::UnsupportedVersion;
  out = text[7] == '0' ? Version::Http10 : Version::Http11;
  return ParseErrc::Ok;
}

}  // namespace cupola::router::http::detail
