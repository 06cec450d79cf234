#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/json/json.h"

namespace cupola::http {

// Counters and gauges a process exposes at GET /varz. Counters are created on first use
// and live as long as the Varz; the returned references stay valid. Thread-safe.
class Varz {
 public:
  explicit Varz(std::string name);

  std::atomic<std::int64_t>& counter(const std::string& name);
  // A value read when /varz is served (for example a queue length).
  void gauge(const std::string& name, std::function<std::int64_t()> read);

  // {"name": …, "uptime_seconds": …, "<counter>": n, …}
  std::string to_json() const;

 private:
  std::string name_;
  std::chrono::steady_clock::time_point started_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<std::atomic<std::int64_t>>> counters_;
  std::map<std::string, std::function<std::int64_t()>> gauges_;
};

}  // namespace cupola::http
