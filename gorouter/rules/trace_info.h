#pragma once

// The trace identity of one request, as gorouter keeps it: a trace id and span id (hex, as
// Zipkin prints them) and the request's UUID, which becomes X-Vcap-Request-Id. When the
// request brings a usable trace id, the UUID is read from it; otherwise it is fresh.

#include <string>
#include <string_view>

#include "gorouter/rules/header_list.h"

namespace cupola::router::rules {

// Random values a request's rules may need, drawn by the caller so the rules stay pure.
struct FreshIds {
  // A lower-case version 4 GUID: the request id when none is derived from a trace id.
  std::string request_id;
  // 16 lower-case hex digits: the router's new span when it continues a W3C traceparent.
  std::string parent_id;
};

struct TraceInfo {
  std::string trace_id;
  std::string span_id;
  std::string uuid;

  bool empty() const noexcept { return trace_id.empty() && span_id.empty() && uuid.empty(); }
  bool operator==(const TraceInfo&) const = default;
};

// Records a trace continued from the request. The UUID is the trace id read as a GUID
// (8-4-4-4-rest) when it has at least 20 characters and matches gorouter's UUID pattern
// (lower-case alphanumerics, the version digit 1-5); otherwise it is ids.request_id.
void set_trace_info(TraceInfo& trace, std::string trace_id, std::string span_id,
                    const FreshIds& ids);

// The request's trace, creating it when there is none yet: the UUID is ids.request_id, the
// trace id its 32 hex digits and the span id the trace id's low 16 digits (Zipkin's generator
// derives a span id from the trace id that way).
const TraceInfo& provide_trace_info(TraceInfo& trace, const FreshIds& ids);

// The UUID that `trace_id` spells, or "" when it spells none (see set_trace_info).
std::string uuid_from_trace_id(std::string_view trace_id);

}  // namespace cupola::router::rules
