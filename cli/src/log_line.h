#pragma once

// Application logs as the cf CLI v7 prints them (`cf logs`, the staging output of
// `cf push`), and the log store's read responses they come from.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cupola::cli {

// One log envelope, as far as printing it goes.
struct LogEnvelope {
  std::int64_t timestamp_ns = 0;  // since the Unix epoch
  std::string source_type;        // the source_type tag: "APP/PROC/WEB", "STG", "RTR", "API"
  std::string instance_id;        // "0", "1", ...; may be empty
  std::string message;            // the decoded payload
  bool is_error = false;          // ERR rather than OUT

  friend bool operator==(const LogEnvelope&, const LogEnvelope&) = default;
};

// The largest read response parse_log_envelopes accepts.
inline constexpr std::size_t kMaxLogResponseBytes = std::size_t{64} << 20;

// Parses the body of the log store's GET /api/v1/read/<source_id> (log-cache's shape):
//   {"envelopes": {"batch": [{"timestamp": "1795556642848860407", "instance_id": "0",
//     "tags": {"source_type": "APP/PROC/WEB"}, "log": {"payload": "<base64>", "type": "OUT"}}]}}
// Timestamps are decimal strings or JSON numbers; a log's type "OUT"/"ERR" or 0/1, OUT when
// absent. Envelopes that are not logs (counters, gauges, ...) are skipped; a missing
// "envelopes" or "batch" is an empty read. Appends the logs to `out` in the order given and
// returns true; otherwise leaves `out` as it was, sets `error` to what is wrong (naming the
// field: "envelopes.batch[2].log.payload: is not base64") and returns false. Bodies larger
// than kMaxLogResponseBytes are refused.
bool parse_log_envelopes(std::string_view json_body, std::vector<LogEnvelope>& out,
                         std::string& error);

// A log timestamp as cf prints it: the wall clock `utc_offset_minutes` east of UTC, with
// hundredths of a second (truncated) and the offset: "2026-05-04T13:02:11.37+0000".
std::string format_log_timestamp(std::int64_t timestamp_ns, int utc_offset_minutes);

// The log as cf v7 prints it, one line per line of the message, each with the full header
// and ending in '\n':
//   "   2026-05-04T13:02:11.37+0000 [APP/PROC/WEB/0] OUT listening on 8080\n"
// Three spaces, the timestamp (format_log_timestamp), [source type/instance] ("[STG/]"
// when the instance id is empty, as cf), OUT or ERR, the line without a trailing '\r'. A
// newline at the end of the message ends its last line rather than starting an empty one.
// ERR lines, header included, are red when `color`; the leading spaces are not.
std::string format_log_line(const LogEnvelope& e, bool color, int utc_offset_minutes);

// The local time zone's offset from UTC at `unix_seconds`, in minutes east (+330 in India,
// -420 in California in summer).
int local_utc_offset_minutes(std::int64_t unix_seconds);

}  // namespace cupola::cli
