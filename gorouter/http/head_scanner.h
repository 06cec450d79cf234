#pragma once

// The part of head parsing that requests and responses share: splitting the buffer into
// CRLF-terminated lines, the size limits, and the field line rules. Internal to
// gorouter/http; the request and response parsers drive it.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "gorouter/http/errors.h"
#include "gorouter/http/message.h"

namespace cupola::router::http::detail {

// Where a field line's name and value are, as offsets from the message's first byte: the
// caller's buffer may move between feeds, so views are made only once the head is complete.
struct FieldPos {
  std::uint32_t name_offset = 0;
  std::uint32_t name_size = 0;
  std::uint32_t value_offset = 0;
  std::uint32_t value_size = 0;
};

enum class ScanState : std::uint8_t { NeedMore, StartLine, Complete, Error };

struct ScanStep {
  ScanState state = ScanState::NeedMore;
  ParseErrc error = ParseErrc::Ok;
  // StartLine: the line without its CRLF. Complete: `end` is the length of the head.
  std::size_t begin = 0;
  std::size_t end = 0;
};

class HeadScanner {
 public:
  HeadScanner(Side side, const Limits& limits);

  // Scans `data` (every byte of the message so far) from where the last call stopped, up to
  // the start line, the end of the head, an error, or the end of the data. After StartLine,
  // call again to go on. Errors depend only on the bytes, never on how they were split.
  ScanStep next(std::string_view data);

  // The field lines as views into `data`, which must hold the same bytes as the last scan.
  void fill(std::string_view data, Headers& out) const;

  void reset() noexcept;

 private:
  ParseErrc limit_error(std::size_t reached) const noexcept;
  ParseErrc add_field(const char* base, std::size_t begin, std::size_t end);

  Side side_;
  Limits limits_;
  std::size_t line_start_ = 0;
  std::size_t scanned_ = 0;  // no LF in [line_start_, scanned_)
  bool start_line_done_ = false;
  std::vector<FieldPos> fields_;
};

// "HTTP/1.0" or "HTTP/1.1"; BadVersion when not "HTTP/" DIGIT "." DIGIT, UnsupportedVersion
// for other well-formed versions.
ParseErrc parse_version(std::string_view text, Version& out) noexcept;

// The error for an unexpected byte: CR and NUL have their own codes.
inline ParseErrc unexpected_byte(char c, ParseErrc otherwise) noexcept {
  if (c == '\r') return ParseErrc::BareCr;
  if (c == '\0') return ParseErrc::NulByte;
  return otherwise;
}

}  // namespace cupola::router::http::detail
