#include <array>
#include <charconv>
#include <limits>
#include <type_traits>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/core/base64.h"
#include "loggregator/api/codec.h"

namespace cupola::loggregator {
namespace {

// Past this many problems a batch is garbage; listing more helps nobody.
constexpr std::size_t kMaxProblems = 20;
// root { batch [ envelope { gauge { metrics { name { ...
constexpr unsigned kMaxDepth = 10;

constexpr std::array<std::pair<std::string_view, EnvelopeType>, 5> kMessageKeys = {{
    {"log", EnvelopeType::Log},
    {"counter", EnvelopeType::Counter},
    {"gauge", EnvelopeType::Gauge},
    {"timer", EnvelopeType::Timer},
    {"event", EnvelopeType::Event},
}};

std::string_view text_of(const json::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// A quoted excerpt of a string for messages: long values are cut.
std::string excerpt(std::string_view s) {
  return s.size() <= 32 ? fmt::format("{:?}", s) : fmt::format("{:?}...", s.substr(0, 32));
}

// int64 and uint64 fields: a JSON number or, as grpc-gateway writes them, a decimal string.
template <class I>
void read_integer(json::ObjectReader& r, std::string_view key, I& out) {
  const json::Value* v = r.find(key);
  if (!v || v->IsNull()) return;
  if (v->IsString()) {
    auto s = text_of(*v);
    I parsed{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) {
      r.problem(key, fmt::format("{} is not a decimal {}integer", excerpt(s),
                                 std::is_signed_v<I> ? "" : "non-negative "));
      return;
    }
    out = parsed;
    return;
  }
  std::string_view expected;
  if (!json::read_value(*v, out, expected)) {
    r.problem(
        key, fmt::format("expected {} or a decimal string, got {}", expected, json::type_name(*v)));
  }
}

// A double: a JSON number, or a string as protobuf's JSON mapping allows ("NaN", "1.5").
void read_double(json::ObjectReader& r, std::string_view key, double& out) {
  const json::Value* v = r.find(key);
  if (!v || v->IsNull()) return;
  if (v->IsNumber()) {
    out = v->GetDouble();
    return;
  }
  if (v->IsString()) {
    auto s = text_of(*v);
    if (s == "NaN") {
      out = std::numeric_limits<double>::quiet_NaN();
      return;
    }
    if (s == "Infinity" || s == "-Infinity") {
      out = s[0] == '-' ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
      return;
    }
    double parsed = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
    if (!s.empty() && ec == std::errc{} && end == s.data() + s.size()) {
      out = parsed;
      return;
    }
    r.problem(key, fmt::format("{} is not a number", excerpt(s)));
    return;
  }
  r.problem(key, fmt::format("expected a number, got {}", json::type_name(*v)));
}

void read_log(json::ObjectReader r, Log& log, const CodecLimits& limits) {
  if (const json::Value* p = r.find("payload"); p && !p->IsNull()) {
    if (!p->IsString()) {
      r.problem("payload", fmt::format("expected a base64 string, got {}", json::type_name(*p)));
    } else if (p->GetStringLength() / 4 * 3 > limits.max_payload_bytes + 2) {
      r.problem("payload", fmt::format("is larger than {} bytes", limits.max_payload_bytes));
    } else if (auto bytes = base64_decode(text_of(*p)); !bytes) {
      r.problem("payload", "is not base64");
    } else if (bytes->size() > limits.max_payload_bytes) {
      r.problem("payload", fmt::format("is larger than {} bytes", limits.max_payload_bytes));
    } else {
      log.payload = std::move(*bytes);
    }
  }
  if (const json::Value* t = r.find("type"); t && !t->IsNull()) {
    if (t->IsString() && text_of(*t) == "OUT") {
      log.type = LogType::Out;
    } else if (t->IsString() && text_of(*t) == "ERR") {
      log.type = LogType::Err;
    } else if (t->IsInt() && (t->GetInt() == 0 || t->GetInt() == 1)) {
      log.type = t->GetInt() == 0 ? LogType::Out : LogType::Err;
    } else {
      r.problem("type", "must be \"OUT\" or \"ERR\"");
    }
  }
}

void read_counter(json::ObjectReader r, Counter& c) {
  r.optional("name", c.name);
  read_integer(r, "delta", c.delta);
  read_integer(r, "total", c.total);
}

void read_gauge(json::ObjectReader r, Gauge& g) {
  const json::Value* metrics = r.find("metrics");
  if (!metrics || metrics->IsNull()) return;
  if (!metrics->IsObject()) {
    r.problem("metrics", fmt::format("expected an object, got {}", json::type_name(*metrics)));
    return;
  }
  for (const auto& m : metrics->GetObject()) {
    std::string name(text_of(m.name));
    json::ObjectReader value(m.value, r.path_of("metrics." + name), r);
    GaugeValue gv;
    value.optional("unit", gv.unit);
    read_double(value, "value", gv.value);
    g.metrics.insert_or_assign(std::move(name), std::move(gv));
  }
}

void read_timer(json::ObjectReader r, Timer& t) {
  r.optional("name", t.name);
  read_integer(r, "start", t.start);
  read_integer(r, "stop", t.stop);
}

void read_event(json::ObjectReader r, Event& e) {
  r.optional("title", e.title);
  r.optional("body", e.body);
}

void read_envelope(const json::Value& v, const std::string& path, json::ObjectReader& root,
                   const CodecLimits& limits, Envelope& e) {
  json::ObjectReader r(v, path, root);
  if (!v.IsObject()) return;
  read_integer(r, "timestamp", e.timestamp);
  if (r.required("source_id", e.source_id) && e.source_id.empty()) {
    r.problem("source_id", "must not be empty");
  }
  r.optional("instance_id", e.instance_id);
  r.optional("tags", e.tags);

  std::vector<std::string_view> present;
  for (auto [key, type] : kMessageKeys) {
    const json::Value* m = r.find(key);
    if (!m || m->IsNull()) continue;
    present.push_back(key);
    switch (type) {
      case EnvelopeType::Log:
        read_log(r.object(key), e.message.emplace<Log>(), limits);
        break;
      case EnvelopeType::Counter:
        read_counter(r.object(key), e.message.emplace<Counter>());
        break;
      case EnvelopeType::Gauge:
        read_gauge(r.object(key), e.message.emplace<Gauge>());
        break;
      case EnvelopeType::Timer:
        read_timer(r.object(key), e.message.emplace<Timer>());
        break;
      case EnvelopeType::Event:
        read_event(r.object(key), e.message.emplace<Event>());
        break;
    }
  }
  if (present.empty()) {
    root.problem(path, "has none of log, counter, gauge, timer, event");
  } else if (present.size() > 1) {
    root.problem(path, fmt::format("has {} messages ({}); an envelope holds exactly one",
                                   present.size(), fmt::join(present, ", ")));
  }
}

Result<std::vector<Envelope>> decode(std::string_view text, const CodecLimits& limits,
                                     bool read_response) {
  if (text.size() > limits.max_batch_bytes) {
    return make_error(Errc::LimitExceeded,
                      fmt::format("envelope batch of {} bytes is larger than {} bytes", text.size(),
                                  limits.max_batch_bytes));
  }
  auto doc = json::parse(
      text, json::ParseLimits{.max_bytes = limits.max_batch_bytes, .max_depth = kMaxDepth});
  if (!doc) return std::move(doc).error();

  json::ObjectReader root(*doc);
  std::string prefix = read_response ? "envelopes.batch" : "batch";
  const json::Value* batch = nullptr;
  if (read_response) {
    batch = root.object("envelopes", true).find("batch");
  } else {
    batch = root.find("batch");
  }
  if (root.ok() && (!batch || batch->IsNull())) root.problem(prefix, "is required");
  if (batch && !batch->IsNull() && !batch->IsArray()) {
    root.problem(prefix, fmt::format("expected an array, got {}", json::type_name(*batch)));
  }
  if (!root.ok()) return root.status("envelope batch").error();

  if (batch->Size() > limits.max_envelopes) {
    return make_error(Errc::LimitExceeded,
                      fmt::format("envelope batch holds {} envelopes, more than {}", batch->Size(),
                                  limits.max_envelopes));
  }
  std::vector<Envelope> out(batch->Size());
  for (rapidjson::SizeType i = 0; i < batch->Size(); ++i) {
    read_envelope((*batch)[i], fmt::format("{}[{}]", prefix, i), root, limits, out[i]);
    if (root.problems().size() >= kMaxProblems) break;
  }
  if (!root.ok()) return root.status("envelope batch").error();
  return out;
}

}  // namespace

Result<std::vector<Envelope>> decode_batch(std::string_view json, const CodecLimits& limits) {
  return decode(json, limits, false);
}

Result<std::vector<Envelope>> decode_read_response(std::string_view json,
                                                   const CodecLimits& limits) {
  return decode(json, limits, true);
}

}  // namespace cupola::loggregator
