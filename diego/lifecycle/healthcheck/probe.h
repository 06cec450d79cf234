#pragma once

#include <chrono>

#include "common/core/result.h"
#include "diego/lifecycle/healthcheck/options.h"

namespace cupola::lifecycle {

// One check of options.host:options.port that ends within `limit`: a TCP connect or, with
// options.uri, an HTTP GET that is healthy on status 200. Ok when healthy; otherwise the
// error's message is the failure as a person reads it (messages.h). Blocks the caller.
Status check_once(const HealthcheckOptions& options, std::chrono::nanoseconds limit);

}  // namespace cupola::lifecycle
