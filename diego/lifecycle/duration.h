#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::lifecycle {

// Durations as Go's time package writes them ("500ms", "1s", "1m30s", "1.5h"), for the
// flags the lifecycle binaries share with Diego's. A bare "0" is zero. Negative values,
// missing and unknown units are errors whose message quotes the input.
Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text);

// Go's Duration.String(): "0s", "250ns", "1.5us", "300ms", "1m0s", "2h0m0.5s".
std::string format_go_duration(std::chrono::nanoseconds d);

}  // namespace cupola::lifecycle
