#include "gorouter/rules/trace_info.h"

namespace cupola::router::rules {
namespace {

bool lower_alnum(std::string_view s) noexcept {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace

std::string uuid_from_trace_id(std::string_view t) {
  // gorouter's UUID parser takes 8-4-4-4-12 groups of [a-z0-9] with a version digit of 1-5.
  if (t.size() != 32 || !lower_alnum(t) || t[12] < '1' || t[12] > '5') return {};
  std::string guid;
  guid.reserve(36);
  guid.append(t.substr(0, 8)).push_back('-');
  guid.append(t.substr(8, 4)).push_back('-');
  guid.append(t.substr(12, 4)).push_back('-');
  guid.append(t.substr(16, 4)).push_back('-');
  guid.append(t.substr(20));
  return guid;
}

void set_trace_info(TraceInfo& trace, std::string trace_id, std::string span_id,
                    const FreshIds& ids) {
  std::string uuid = uuid_from_trace_id(trace_id);
  trace.trace_id = std::move(trace_id);
  trace.span_id = std::move(span_id);
  trace.uuid = uuid.empty() ? ids.request_id : std::move(uuid);
}

const TraceInfo& provide_trace_info(TraceInfo& trace, const FreshIds& ids) {
  if (!trace.empty()) return trace;
  std::string hex;
  hex.reserve(32);
  for (char c : ids.request_id) {
    if (c != '-') hex.push_back(c);
  }
  trace.uuid = ids.request_id;
  trace.span_id = hex.size() >= 16 ? hex.substr(hex.size() - 16) : hex;
  trace.trace_id = std::move(hex);
  return trace;
}

}  // namespace cupola::router::rules
