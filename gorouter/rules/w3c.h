#pragma once

// W3C trace context as gorouter applies it (when tracing.enable_w3c is on):
//   - a valid traceparent is continued: same version-00 trace id and flags, the router's own
//     parent id; the request joins that trace unless B3 already gave it one;
//   - otherwise a traceparent "00-<trace>-<span>-01" is made from the request's trace;
//   - tracestate gains the router's entry "gorouter=<parent id>" ("<tenant>@gorouter=..." with
//     a tenant id) in front, replacing an older entry of the same key; other entries keep
//     their order; a tracestate longer than 2048 bytes is dropped.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gorouter/rules/request_context.h"

namespace cupola::router::rules {

struct Traceparent {
  std::uint8_t version = 0;
  // 32 lower-case hex digits.
  std::string trace_id;
  // 16 lower-case hex digits.
  std::string parent_id;
  std::uint8_t flags = 0;

  // "vv-<trace>-<parent>-ff".
  std::string str() const;
};

// "vv-<32 hex>-<16 hex>-ff", any case, surrounding white space ignored.
std::optional<Traceparent> parse_traceparent(std::string_view value);

struct TracestateEntry {
  std::string key;
  std::string value;

  bool operator==(const TracestateEntry&) const = default;
};

// The key=value entries of a tracestate header, in header order; elements without '=' are
// skipped, and a header longer than 2048 bytes yields none.
std::vector<TracestateEntry> parse_tracestate(std::string_view value);

// The router's tracestate key: "gorouter" or "<tenant>@gorouter".
std::string tracestate_key(std::string_view tenant_id);

// The tracestate after the router's hop: its entry first, then `previous` without any entry
// of the same key.
std::string next_tracestate(const std::vector<TracestateEntry>& previous,
                            std::string_view tenant_id, std::string_view parent_id);

// The request rule.
void apply_w3c(RequestRuleContext& ctx);

}  // namespace cupola::router::rules
