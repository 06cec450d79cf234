#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "loggregator/api/envelope.h"
#include "loggregator/store/tail_sink.h"

namespace cupola::logstore::test {

// A log whose payload is its timestamp, so that tests can read back which envelopes they got.
inline loggregator::Envelope line(std::string source, std::int64_t t) {
  return loggregator::make_log(t, std::move(source), "0", "APP/PROC/WEB", std::to_string(t));
}

inline EnvelopePtr ptr(loggregator::Envelope e) {
  return std::make_shared<const loggregator::Envelope>(std::move(e));
}

inline loggregator::Envelope gauge(std::string source, std::int64_t t) {
  loggregator::Envelope e;
  e.timestamp = t;
  e.source_id = std::move(source);
  e.message = loggregator::Gauge{{{"cpu", {"percentage", 1.0}}}};
  return e;
}

inline std::vector<std::int64_t> timestamps(const std::vector<EnvelopePtr>& envelopes) {
  std::vector<std::int64_t> out;
  for (const auto& e : envelopes) out.push_back(e->timestamp);
  return out;
}

inline std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> out;
  for (auto t = from; t < to; ++t) out.push_back(t);
  return out;
}

}  // namespace cupola::logstore::test
