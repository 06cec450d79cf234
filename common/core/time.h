#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola {

using TimePoint = std::chrono::system_clock::time_point;

// "2026-11-25T18:53:06Z"; with fractional seconds "2026-11-25T18:53:06.123456789Z".
// Always UTC.
std::string format_rfc3339(TimePoint t, bool fractional = false);

// Parses RFC 3339 date-times: "2026-11-25T18:53:06Z", fractional seconds of any
// precision, and numeric offsets ("+01:00"). Errors name what is wrong.
Result<TimePoint> parse_rfc3339(std::string_view s);

// Durations as Go writes them: "30s", "1m30s", "500ms", "2h", "1.5s", "250us", "10ns".
// A bare "0" is zero. Negative values and unknown units are errors.
Result<std::chrono::nanoseconds> parse_duration(std::string_view s);

// The shortest Go-style form: "1m30s", "500ms", "0s".
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace cupola
