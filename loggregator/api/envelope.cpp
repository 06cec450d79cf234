#include "loggregator/api/envelope.h"

#include <array>
#include <cstdint>

#include <fmt/format.h>

namespace cupola::loggregator {
namespace {

constexpr std::array<std::string_view, 5> kTypeNames = {"LOG", "COUNTER", "GAUGE", "TIMER",
                                                        "EVENT"};
constexpr std::size_t kMaxSourceIdBytes = 256;
// A std::map node: three pointers, a colour and the padding around them.
constexpr std::size_t kMapNodeBytes = 48;

// Heap bytes of a string beyond the object itself (short strings live inside it).
std::size_t heap_bytes(const std::string& s) {
  auto object = reinterpret_cast<std::uintptr_t>(&s);
  auto data = reinterpret_cast<std::uintptr_t>(s.data());
  bool inline_buffer = data >= object && data < object + sizeof(std::string);
  return inline_buffer ? 0 : s.capacity() + 1;
}

}  // namespace

std::string_view envelope_type_name(EnvelopeType type) {
  return kTypeNames[static_cast<std::size_t>(type)];
}

std::optional<EnvelopeType> parse_envelope_type(std::string_view name) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<EnvelopeType>(i);
  }
  return std::nullopt;
}

Envelope make_log(std::int64_t timestamp, std::string source_id, std::string instance_id,
                  std::string_view source_type, std::string payload, LogType type) {
  Envelope e;
  e.timestamp = timestamp;
  e.source_id = std::move(source_id);
  e.instance_id = std::move(instance_id);
  e.tags.emplace(std::string(kSourceTypeTag), std::string(source_type));
  e.message = Log{std::move(payload), type};
  return e;
}

Status validate_source_id(std::string_view id) {
  auto invalid = [&](std::string_view why) {
    return make_error(Errc::InvalidArgument, fmt::format("source_id {:?} {}", id, why));
  };
  if (id.empty()) return make_error(Errc::InvalidArgument, "source_id is required");
  if (id.size() > kMaxSourceIdBytes) {
    return make_error(Errc::InvalidArgument,
                      fmt::format("source_id is longer than {} bytes", kMaxSourceIdBytes));
  }
  char previous = '.';
  for (char c : id) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return invalid("contains a space or control character");
    if (c == '*' || c == '>') return invalid("contains a NATS wildcard ('*' or '>')");
    if (c == '.' && previous == '.') return invalid("has an empty part between dots");
    previous = c;
  }
  if (previous == '.') return invalid("ends with a dot");
  return {};
}

std::size_t approximate_size(const Envelope& e) {
  std::size_t n = sizeof(Envelope) + heap_bytes(e.source_id) + heap_bytes(e.instance_id);
  for (const auto& [k, v] : e.tags) {
    n += kMapNodeBytes + 2 * sizeof(std::string) + heap_bytes(k) + heap_bytes(v);
  }
  struct Visitor {
    std::size_t operator()(const Log& l) const { return heap_bytes(l.payload); }
    std::size_t operator()(const Counter& c) const { return heap_bytes(c.name); }
    std::size_t operator()(const Gauge& g) const {
      std::size_t m = 0;
      for (const auto& [name, value] : g.metrics) {
        m += kMapNodeBytes + sizeof(std::string) + sizeof(GaugeValue) + heap_bytes(name) +
             heap_bytes(value.unit);
      }
      return m;
    }
    std::size_t operator()(const Timer& t) const { return heap_bytes(t.name); }
    std::size_t operator()(const Event& v) const {
      return heap_bytes(v.title) + heap_bytes(v.body);
    }
  };
  return n + std::visit(Visitor{}, e.message);
}

}  // namespace cupola::loggregator
