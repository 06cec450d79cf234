#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace cupola::lifecycle {

// How many checks cupola-healthcheck runs and when it exits (Diego's healthcheck modes).
enum class CheckMode {
  Once,        // one check; exit healthy or not
  UntilReady,  // check every interval until healthy; give up after the startup timeout
  Liveness,    // check every interval while healthy; exit on the first failure
  Readiness,   // as Liveness, reported as a readiness failure
};

struct HealthcheckOptions {
  std::string host = "127.0.0.1";  // numeric IPv4 or IPv6
  std::uint16_t port = 0;
  std::string uri;  // empty: a TCP connect check; otherwise an HTTP GET of this path
  std::chrono::nanoseconds timeout = std::chrono::seconds(1);  // per check
  CheckMode mode = CheckMode::Once;
  std::chrono::nanoseconds interval{0};  // between checks, in every mode but Once
  // UntilReady only; zero means no limit.
  std::chrono::nanoseconds startup_timeout = std::chrono::seconds(60);
};

struct HealthcheckArgs {
  HealthcheckOptions options;
  bool help = false;  // --help or -h was given: print the usage and exit 0
};

// Parses the arguments after the program name the way Go's flag package does, so Diego's
// spellings work as well as GNU ones: `--port 8080`, `-port 8080`, `-port=8080`,
// `--port=8080`; `--` ends the flags. Errors name the flag as it was written
// ("flag needs an argument: -port", "invalid value \"x\" for flag --timeout: ...").
Result<HealthcheckArgs> parse_healthcheck_args(const std::vector<std::string_view>& args);

// "Usage: <program> --port PORT [...]", one line without the newline.
std::string healthcheck_synopsis(std::string_view program);

// The synopsis and every flag, one per line, ending with a newline.
std::string healthcheck_usage(std::string_view program);

}  // namespace cupola::lifecycle
