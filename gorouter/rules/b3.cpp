#include "gorouter/rules/b3.h"

#include <fmt/format.h>

#include "gorouter/rules/names.h"

namespace cupola::router::rules {
namespace {

// Go's strconv.ParseUint(s, 16, 64): one or more hex digits, no prefix or sign, at most 2^64-1.
std::optional<std::uint64_t> parse_hex64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    int d = 0;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    if (v >> 60) return std::nullopt;
    v = (v << 4) | static_cast<std::uint64_t>(d);
  }
  return v;
}

bool apply_sampling(std::string_view sampling, B3Context& sc) {
  if (sampling == "d") {
    sc.debug = true;
  } else if (sampling == "1") {
    sc.sampled = true;
  } else if (sampling == "0") {
    sc.sampled = false;
  } else if (!sampling.empty()) {
    return false;
  }
  return true;
}

}  // namespace

std::string B3Context::trace_id_hex() const {
  if (trace_high == 0) return fmt::format("{:016x}", trace_low);
  return fmt::format("{:016x}{:016x}", trace_high, trace_low);
}

std::string B3Context::span_id_hex() const { return fmt::format("{:016x}", span_id); }

std::optional<B3Context> parse_b3_single(std::string_view s) {
  B3Context sc;
  std::string_view sampling;
  const std::size_t n = s.size();
  if (n == 0 || n == 16 || n == 32) return std::nullopt;
  if (n == 1) {
    sampling = s;
  } else if (n >= 33) {
    std::size_t pos = 0;
    if (s[16] != '-') {
      auto high = parse_hex64(s.substr(0, 16));
      if (!high) return std::nullopt;
      sc.trace_high = *high;
      pos = 16;
    }
    if (n < pos + 33 || s[pos + 16] != '-') return std::nullopt;
    auto low = parse_hex64(s.substr(pos, 16));
    auto span = parse_hex64(s.substr(pos + 17, 16));
    if (!low || !span) return std::nullopt;
    sc.trace_low = *low;
    sc.span_id = *span;
    const std::size_t rest = pos + 33;
    if (n > rest) {
      if (s[rest] != '-') return std::nullopt;
      if (n == rest + 2) {
        sampling = s.substr(rest + 1, 1);
      } else if (n == rest + 19 && s[rest + 2] == '-') {
        sampling = s.substr(rest + 1, 1);
        auto parent = parse_hex64(s.substr(rest + 3));
        if (!parent) return std::nullopt;
        sc.parent_id = *parent;
      } else {
        return std::nullopt;
      }
    }
  } else {
    return std::nullopt;
  }
  if (!apply_sampling(sampling, sc)) return std::nullopt;
  return sc;
}

std::optional<B3Context> parse_b3_headers(std::string_view trace_id, std::string_view span_id,
                                          std::string_view parent_span_id, std::string_view sampled,
                                          std::string_view flags) {
  B3Context sc;
  const std::string lowered = to_lower(sampled);
  if (lowered == "0" || lowered == "false") {
    sc.sampled = false;
  } else if (lowered == "1" || lowered == "true") {
    sc.sampled = true;
  } else if (!lowered.empty()) {
    return std::nullopt;
  }
  if (flags == "1") {
    sc.debug = true;
    sc.sampled.reset();
  }
  int present = 0;
  if (!trace_id.empty()) {
    ++present;
    std::optional<std::uint64_t> high = 0;
    std::string_view low_digits = trace_id;
    if (trace_id.size() > 16) {
      high = parse_hex64(trace_id.substr(0, trace_id.size() - 16));
      low_digits = trace_id.substr(trace_id.size() - 16);
    }
    auto low = parse_hex64(low_digits);
    if (!high || !low) return std::nullopt;
    sc.trace_high = *high;
    sc.trace_low = *low;
  }
  if (!span_id.empty()) {
    ++present;
    auto span = parse_hex64(span_id);
    if (!span) return std::nullopt;
    sc.span_id = *span;
  }
  if (present == 1) return std::nullopt;
  if (!parent_span_id.empty()) {
    if (present == 0) return std::nullopt;
    auto parent = parse_hex64(parent_span_id);
    if (!parent) return std::nullopt;
    sc.parent_id = *parent;
  }
  return sc;
}

std::string build_b3_single(const B3Context& sc) {
  std::string out;
  auto append = [&out](std::string_view part) {
    if (!out.empty()) out.push_back('-');
    out.append(part);
  };
  if ((sc.trace_high != 0 || sc.trace_low != 0) && sc.span_id > 0) {
    append(sc.trace_id_hex());
    append(sc.span_id_hex());
  }
  if (sc.debug) {
    append("d");
  } else if (sc.sampled) {
    append(*sc.sampled ? "1" : "0");
  }
  if (sc.parent_id) append(fmt::format("{:016x}", *sc.parent_id));
  return out;
}

void apply_zipkin(RequestRuleContext& ctx) {
  if (!ctx.options.tracing.enable_zipkin) return;

  if (const std::string_view single = header_value(ctx.headers, kB3); !single.empty()) {
    if (auto sc = parse_b3_single(single)) {
      set_trace_info(ctx.trace, sc->trace_id_hex(), sc->span_id_hex(), ctx.ids);
      return;
    }
  }

  const std::string_view trace_id = header_value(ctx.headers, kB3TraceId);
  const std::string_view span_id = header_value(ctx.headers, kB3SpanId);
  if (!trace_id.empty() && !span_id.empty()) {
    auto sc = parse_b3_headers(trace_id, span_id, header_value(ctx.headers, kB3ParentSpanId),
                               header_value(ctx.headers, kB3Sampled),
                               header_value(ctx.headers, kB3Flags));
    // Malformed B3 headers are left for the backend to judge; the router starts no trace here.
    if (!sc) return;
    set_header(ctx.headers, kB3, build_b3_single(*sc));
    set_trace_info(ctx.trace, sc->trace_id_hex(), sc->span_id_hex(), ctx.ids);
    return;
  }

  const TraceInfo& trace = provide_trace_info(ctx.trace, ctx.ids);
  set_header(ctx.headers, kB3TraceId, trace.trace_id);
  set_header(ctx.headers, kB3SpanId, trace.span_id);
  set_header(ctx.headers, kB3, trace.trace_id + "-" + trace.span_id);
}

}  // namespace cupola::router::rules
