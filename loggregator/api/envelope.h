#pragma once

// The Loggregator v2 envelope (loggregator-api's v2/envelope.proto), the unit every log
// producer publishes and the log store keeps: a time, the source it belongs to (an app guid
// or a component name), the instance within it, string tags, and exactly one message.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/core/result.h"

namespace cupola::loggregator {

enum class LogType { Out, Err };

// One line an app or a component wrote. `payload` holds raw bytes (base64 only on the wire).
struct Log {
  std::string payload;
  LogType type = LogType::Out;
  bool operator==(const Log&) const = default;
};

struct Counter {
  std::string name;
  std::uint64_t delta = 0;
  std::uint64_t total = 0;
  bool operator==(const Counter&) const = default;
};

struct GaugeValue {
  std::string unit;
  double value = 0;
  bool operator==(const GaugeValue&) const = default;
};

// Container metrics and the like: several named values taken at once ("cpu", "memory").
struct Gauge {
  std::map<std::string, GaugeValue> metrics;
  bool operator==(const Gauge&) const = default;
};

struct Timer {
  std::string name;
  std::int64_t start = 0;  // ns since the Unix epoch
  std::int64_t stop = 0;
  bool operator==(const Timer&) const = default;
};

struct Event {
  std::string title;
  std::string body;
  bool operator==(const Event&) const = default;
};

// The kinds of message, named as log-cache's envelope_types filter names them.
enum class EnvelopeType { Log, Counter, Gauge, Timer, Event };

// "LOG", "COUNTER", "GAUGE", "TIMER", "EVENT".
std::string_view envelope_type_name(EnvelopeType type);
// The inverse of envelope_type_name, case-sensitive as log-cache's gateway is.
std::optional<EnvelopeType> parse_envelope_type(std::string_view name);

// Exactly one message per envelope: the variant's alternatives follow EnvelopeType's order.
using Message = std::variant<Log, Counter, Gauge, Timer, Event>;

struct Envelope {
  std::int64_t timestamp = 0;  // ns since the Unix epoch
  std::string source_id;       // app guid or component name; the NATS subject's last part
  std::string instance_id;     // app instance index, or a component's instance
  std::map<std::string, std::string> tags;
  Message message;

  EnvelopeType type() const { return static_cast<EnvelopeType>(message.index()); }
  // The message when it is of that kind, else null.
  const Log* log() const { return std::get_if<Log>(&message); }
  const Counter* counter() const { return std::get_if<Counter>(&message); }
  const Gauge* gauge() const { return std::get_if<Gauge>(&message); }
  const Timer* timer() const { return std::get_if<Timer>(&message); }
  const Event* event() const { return std::get_if<Event>(&message); }

  bool operator==(const Envelope&) const = default;
};

// Tag values Cloud Foundry producers put in tags["source_type"].
inline constexpr std::string_view kSourceTypeTag = "source_type";

// A log envelope as Cloud Foundry's producers write it: tags {source_type: <source_type>}.
Envelope make_log(std::int64_t timestamp, std::string source_id, std::string instance_id,
                  std::string_view source_type, std::string payload, LogType type = LogType::Out);

// A source id travels as the last part of the NATS subject logs.<source_id>: it must be
// non-empty, at most 256 bytes, and free of spaces, control characters, NATS wildcards
// ('*', '>') and empty dot-separated parts. InvalidArgument naming what is wrong otherwise.
Status validate_source_id(std::string_view source_id);

// What an envelope costs in memory, approximately: the struct, its strings and its map
// nodes. Stores and buffers bound themselves with it; it is not an encoded size.
std::size_t approximate_size(const Envelope& e);

}  // namespace cupola::loggregator
