#include "gorouter/rules/w3c.h"

#include <fmt/format.h>

#include "gorouter/rules/names.h"

namespace cupola::router::rules {
namespace {

constexpr std::size_t kMaxTracestateBytes = 2048;

bool is_lower_hex(std::string_view s) noexcept {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim_space(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::uint8_t hex_byte(std::string_view two) noexcept {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  return static_cast<std::uint8_t>(nibble(two[0]) * 16 + nibble(two[1]));
}

std::string pad_hex(std::string_view hex, std::size_t width) {
  return hex.size() >= width ? std::string(hex) : std::string(width - hex.size(), '0').append(hex);
}

}  // namespace

std::string Traceparent::str() const {
  return fmt::format("{:02x}-{}-{}-{:02x}", version, trace_id, parent_id, flags);
}

std::optional<Traceparent> parse_traceparent(std::string_view value) {
  const std::string lowered = to_lower(trim_space(value));
  const std::string_view s = lowered;
  if (s.size() != 55 || s[2] != '-' || s[35] != '-' || s[52] != '-') return std::nullopt;
  const std::string_view version = s.substr(0, 2), trace = s.substr(3, 32),
                         parent = s.substr(36, 16), flags = s.substr(53, 2);
  if (!is_lower_hex(version) || !is_lower_hex(trace) || !is_lower_hex(parent) ||
      !is_lower_hex(flags)) {
    return std::nullopt;
  }
  return Traceparent{hex_byte(version), std::string(trace), std::string(parent), hex_byte(flags)};
}

std::vector<TracestateEntry> parse_tracestate(std::string_view value) {
  std::vector<TracestateEntry> entries;
  if (value.size() > kMaxTracestateBytes) return entries;
  while (true) {
    const std::size_t comma = value.find(',');
    const std::string_view pair = trim_space(value.substr(0, comma));
    if (const std::size_t eq = pair.find('='); eq != std::string_view::npos) {
      entries.push_back({std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1))});
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return entries;
}

std::string tracestate_key(std::string_view tenant_id) {
  return tenant_id.empty() ? std::string("gorouter") : fmt::format("{}@gorouter", tenant_id);
}

std::string next_tracestate(const std::vector<TracestateEntry>& previous,
                            std::string_view tenant_id, std::string_view parent_id) {
  const std::string key = tracestate_key(tenant_id);
  std::string out = fmt::format("{}={}", key, parent_id);
  for (const TracestateEntry& e : previous) {
    if (e.key == key) continue;
    fmt::format_to(std::back_inserter(out), ",{}={}", e.key, e.value);
  }
  return out;
}

void apply_w3c(RequestRuleContext& ctx) {
  if (!ctx.options.tracing.enable_w3c) return;
  const std::string_view tenant = ctx.options.tracing.w3c_tenant_id;

  if (auto previous = parse_traceparent(header_value(ctx.headers, kTraceparent))) {
    Traceparent next{0, previous->trace_id, ctx.ids.parent_id, previous->flags};
    if (ctx.trace.trace_id.empty()) {
      set_trace_info(ctx.trace, next.trace_id, next.parent_id, ctx.ids);
    }
    const auto entries = parse_tracestate(header_value(ctx.headers, kTracestate));
    set_header(ctx.headers, kTraceparent, next.str());
    set_header(ctx.headers, kTracestate, next_tracestate(entries, tenant, next.parent_id));
    return;
  }

  const TraceInfo& trace = provide_trace_info(ctx.trace, ctx.ids);
  // The trace and span ids become the traceparent's bytes; ids that are not hex make none.
  if (trace.trace_id.size() % 2 != 0 || !is_lower_hex(trace.trace_id) ||
      trace.span_id.size() % 2 != 0 || !is_lower_hex(trace.span_id)) {
    return;
  }
  Traceparent fresh{0, pad_hex(trace.trace_id, 32), pad_hex(trace.span_id, 16), 1};
  set_header(ctx.headers, kTraceparent, fresh.str());
  set_header(ctx.headers, kTracestate, next_tracestate({}, tenant, fresh.parent_id));
}

}  // namespace cupola::router::rules
