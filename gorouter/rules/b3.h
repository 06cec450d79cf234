#pragma once

// Zipkin B3 propagation as gorouter applies it (when tracing.enable_zipkin is on):
//   - a valid single "b3" header is kept and the request joins its trace;
//   - else valid X-B3-TraceId and X-B3-SpanId are kept, the request joins their trace, and a
//     single "b3" header is built from them (trace-span[-sampled][-parent]);
//   - else, unless those two were present but malformed (then nothing is touched), the
//     router starts a trace: X-B3-TraceId, X-B3-SpanId and b3 "<trace>-<span>" are set.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gorouter/rules/request_context.h"

namespace cupola::router::rules {

// A parsed B3 context, as Zipkin's Go library holds it.
struct B3Context {
  std::uint64_t trace_high = 0;
  std::uint64_t trace_low = 0;
  std::uint64_t span_id = 0;
  std::optional<std::uint64_t> parent_id;
  std::optional<bool> sampled;
  bool debug = false;

  // 16 hex digits when the high half is zero, else 32; lower case.
  std::string trace_id_hex() const;
  // 16 lower-case hex digits.
  std::string span_id_hex() const;
};

// The single "b3" header: "<trace>-<span>[-<sampled>[-<parent>]]", or a lone sampling byte
// ("0", "1", "d"). Trace ids are 16 or 32 hex digits, span ids 16.
std::optional<B3Context> parse_b3_single(std::string_view value);

// The X-B3-* headers. Ids are 1 to 16 hex digits (up to 32 for the trace id); sampled is
// "0", "1", "true", "false" or absent; flags "1" means debug. Trace and span come together.
std::optional<B3Context> parse_b3_headers(std::string_view trace_id, std::string_view span_id,
                                          std::string_view parent_span_id, std::string_view sampled,
                                          std::string_view flags);

// The single-header form of `context`.
std::string build_b3_single(const B3Context& context);

// The request rule.
void apply_zipkin(RequestRuleContext& ctx);

}  // namespace cupola::router::rules
