#pragma once

// What a process's instances use, from the log store's container metrics (the gauges cells
// send: cpu, memory, disk), for process stats. Read with a token the CC gives itself.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/http/client/client.h"

namespace cupola::cc {

struct InstanceUsage {
  double cpu = 0;           // percent of one core
  std::int64_t memory = 0;  // bytes
  std::int64_t disk = 0;
  std::int64_t time_ns = 0;  // when the gauge was taken
};

class ContainerMetrics {
 public:
  virtual ~ContainerMetrics() = default;
  // The newest gauge of each instance index of the app; empty when none is known. Errors
  // when the store cannot be asked (callers show zeros then).
  virtual boost::asio::awaitable<Result<std::map<std::int64_t, InstanceUsage>>> usage(
      std::string app_guid) = 0;
};

// The log store's read API: GET <base>/api/v1/read/<app>?envelope_types=GAUGE.
class LogCacheMetrics final : public ContainerMetrics {
 public:
  // `token`: a bearer token the log store accepts as an admin's; one is kept for five minutes.
  LogCacheMetrics(http::Client& client, std::string base_url,
                  std::function<Result<std::string>()> token);
  boost::asio::awaitable<Result<std::map<std::int64_t, InstanceUsage>>> usage(
      std::string app_guid) override;

 private:
  http::Client& client_;
  std::string base_url_;
  std::function<Result<std::string>()> token_;
  std::string cached_;
  std::chrono::steady_clock::time_point cached_until_{};
};

}  // namespace cupola::cc
