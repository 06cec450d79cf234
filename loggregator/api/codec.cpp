// Encoding; decoding is in codec_decode.cpp.
#include "loggregator/api/codec.h"

#include <cmath>

#include "common/core/base64.h"

namespace cupola::loggregator {
namespace {

// Room for {"batch":[ and ]}.
constexpr std::size_t kBatchFraming = 12;

template <class I>
void write_integer(json::Writer& w, I v, const EncodeOptions& options) {
  if (options.integers == IntegerForm::String) {
    w.value(std::to_string(v));
  } else {
    w.value(v);
  }
}

// Protobuf's JSON mapping writes the doubles JSON has no literal for as strings.
void write_double(json::Writer& w, double v) {
  if (std::isnan(v)) {
    w.value("NaN");
  } else if (std::isinf(v)) {
    w.value(v > 0 ? "Infinity" : "-Infinity");
  } else {
    w.value(v);
  }
}

struct MessageWriter {
  json::Writer& w;
  const EncodeOptions& options;

  void operator()(const Log& l) const {
    w.key("log").start_object();
    w.field("payload", base64_encode(l.payload));
    w.field("type", l.type == LogType::Err ? "ERR" : "OUT");
    w.end_object();
  }
  void operator()(const Counter& c) const {
    w.key("counter").start_object().field("name", c.name);
    w.key("delta");
    write_integer(w, c.delta, options);
    w.key("total");
    write_integer(w, c.total, options);
    w.end_object();
  }
  void operator()(const Gauge& g) const {
    w.key("gauge").start_object().key("metrics").start_object();
    for (const auto& [name, value] : g.metrics) {
      w.key(name).start_object().field("unit", value.unit).key("value");
      write_double(w, value.value);
      w.end_object();
    }
    w.end_object().end_object();
  }
  void operator()(const Timer& t) const {
    w.key("timer").start_object().field("name", t.name);
    w.key("start");
    write_integer(w, t.start, options);
    w.key("stop");
    write_integer(w, t.stop, options);
    w.end_object();
  }
  void operator()(const Event& e) const {
    w.key("event").start_object().field("title", e.title).field("body", e.body).end_object();
  }
};

template <class Range, class Get>
std::string encode_range(const Range& batch, Get get, const EncodeOptions& options,
                         bool read_response) {
  json::Writer w;
  w.start_object();
  if (read_response) w.key("envelopes").start_object();
  w.key("batch").start_array();
  for (const auto& item : batch) write_envelope(w, get(item), options);
  w.end_array();
  if (read_response) w.end_object();
  w.end_object();
  return w.str();
}

}  // namespace

void write_envelope(json::Writer& w, const Envelope& e, const EncodeOptions& options) {
  w.start_object();
  w.key("timestamp");
  write_integer(w, e.timestamp, options);
  w.field("source_id", e.source_id).field("instance_id", e.instance_id);
  w.key("tags").start_object();
  for (const auto& [k, v] : e.tags) w.field(k, v);
  w.end_object();
  std::visit(MessageWriter{w, options}, e.message);
  w.end_object();
}

std::string encode_envelope(const Envelope& e, const EncodeOptions& options) {
  json::Writer w;
  write_envelope(w, e, options);
  return w.str();
}

std::string encode_batch(std::span<const Envelope> batch, const EncodeOptions& options) {
  return encode_range(
      batch, [](const Envelope& e) -> const Envelope& { return e; }, options, false);
}

std::string encode_batch(std::span<const std::shared_ptr<const Envelope>> batch,
                         const EncodeOptions& options) {
  return encode_range(
      batch, [](const auto& p) -> const Envelope& { return *p; }, options, false);
}

std::string encode_read_response(std::span<const std::shared_ptr<const Envelope>> batch,
                                 const EncodeOptions& options) {
  return encode_range(
      batch, [](const auto& p) -> const Envelope& { return *p; }, options, true);
}

std::vector<BatchDocument> encode_batches(std::span<const Envelope> batch, std::size_t max_bytes,
                                          const EncodeOptions& options, std::size_t& too_large) {
  std::vector<BatchDocument> out;
  std::string current;
  std::size_t count = 0;
  auto close = [&] {
    if (current.empty()) return;
    current += "]}";
    out.push_back(BatchDocument{std::move(current), count});
    current.clear();
    count = 0;
  };
  for (const auto& e : batch) {
    std::string one = encode_envelope(e, options);
    if (one.size() + kBatchFraming > max_bytes) {
      ++too_large;
      continue;
    }
    // +1 for the comma, +2 for the closing "]}".
    if (!current.empty() && current.size() + 1 + one.size() + 2 > max_bytes) close();
    if (current.empty()) {
      current.reserve(std::min(max_bytes, std::size_t{64 * 1024}));
      current = R"({"batch":[)";
    } else {
      current += ',';
    }
    current += one;
    ++count;
  }
  close();
  return out;
}

std::size_t estimate_encoded_size(const Envelope& e) {
  // The fixed keys, quotes, braces and a 19-digit timestamp take about 90 bytes.
  std::size_t n = 90 + e.source_id.size() + e.instance_id.size();
  for (const auto& [k, v] : e.tags) n += k.size() + v.size() + 6;
  struct Visitor {
    std::size_t operator()(const Log& l) const { return 4 * ((l.payload.size() + 2) / 3) + 30; }
    std::size_t operator()(const Counter& c) const { return c.name.size() + 80; }
    std::size_t operator()(const Gauge& g) const {
      std::size_t m = 25;
      for (const auto& [name, value] : g.metrics) m += name.size() + value.unit.size() + 50;
      return m;
    }
    std::size_t operator()(const Timer& t) const { return t.name.size() + 80; }
    std::size_t operator()(const Event& v) const { return v.title.size() + v.body.size() + 40; }
  };
  return n + std::visit(Visitor{}, e.message);
}

}  // namespace cupola::loggregator
