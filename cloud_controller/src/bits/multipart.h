#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace cupola::cc::bits {

struct MultipartLimits {
  std::size_t max_parts = 16;
  std::size_t max_header_bytes = 8192;  // per part, up to the blank line
};

// One part of a multipart/form-data body. `data` views the body passed to parse_multipart,
// which must outlive it.
struct Part {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;  // "text/plain" when the part has none (RFC 7578 §4.4)
  std::string_view data;
};

// Splits a multipart/form-data body (RFC 7578, RFC 2046 §5.1) as the cf CLI sends package
// uploads: the boundary comes from `content_type_header`'s boundary parameter, quoted or
// not; lines end in CRLF; preamble and epilogue are ignored. Each part needs a
// Content-Disposition of form-data with a name; name and filename may be quoted strings with
// backslash escapes. Errc::InvalidArgument for a Content-Type that is not multipart/form-data
// or has no boundary, a body without its closing delimiter, a malformed part or one without
// a name; Errc::LimitExceeded past the limits. Messages suit an API error detail.
Result<std::vector<Part>> parse_multipart(std::string_view body,
                                          std::string_view content_type_header,
                                          const MultipartLimits& limits = {});

}  // namespace cupola::cc::bits
