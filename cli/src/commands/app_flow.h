#pragma once

// What push, start, restart, restage and scale share: staging a package while its STG lines
// stream, waiting for instances, and the app summary `cupola app` prints.

#include <optional>
#include <string>
#include <vector>

#include "cli/src/log_line.h"
#include "cli/src/session.h"
#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::cli {

// Stages PACKAGE of APP: creates the build, prints the staging log lines (STG) as the log
// store has them, and polls the build (every second, for at most CF_STAGING_TIMEOUT minutes,
// default 15). The droplet's guid, or the build's error in the user's words.
Result<std::string> stage_package(Session& s, const std::string& app_guid,
                                  const std::string& app_name, const std::string& package_guid);

// Waits until every process of APP has a running instance (or has none desired), printing
// "Instances starting..." while they start; at most CF_STARTUP_TIMEOUT minutes (default 5).
// Fails when every instance of a process crashed.
Result<void> wait_for_instances(Session& s, const std::string& app_guid,
                                const std::string& app_name);

// The `cupola app` layout: the app's key-value lines and, per process, its instances table.
Result<void> show_app_summary(Session& s, const std::string& app_guid);

// The newest package of APP in state READY, if any.
Result<std::optional<std::string>> newest_ready_package(Session& s, const std::string& app_guid);

// The log lines of a log store read (PATH from log_read_path), oldest first unless the path
// asks for descending order.
Result<std::vector<LogEnvelope>> read_logs(Session& s, const std::string& path);

// Nanoseconds since the epoch, as the log store stamps lines.
long long now_ns();

// The log store's read path for APP from START_NS (nanoseconds since the epoch).
std::string log_read_path(Session& s, const std::string& app_guid, long long start_ns,
                          bool descending, int limit);

}  // namespace cupola::cli
