#pragma once

// What the API asks of the platform that runs apps: stage a build, make the running
// instances match the CC's records for some apps, and report a process's instances. The
// Diego implementation (diego_runtime.h) speaks to the BBS.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/bridge/container_metrics.h"
#include "cloud_controller/src/db/droplets_db.h"
#include "common/core/result.h"

namespace cupola::cc {

// One instance of a process as the platform reports it.
struct InstanceReport {
  std::int64_t index = 0;
  std::string state;                   // STARTING, RUNNING, CRASHED, DOWN
  std::int64_t since_ns = 0;           // of the last state change
  std::string host;                    // the cell's address, when placed
  std::vector<std::uint32_t> ports;    // host ports, when running
  std::string details;                 // why it is not running (a placement error, a crash)
  std::optional<InstanceUsage> usage;  // its newest container metrics, when known
};

class Runtime {
 public:
  virtual ~Runtime() = default;
  // Submits the staging of `build` (its package READY, its droplet STAGING). An error means
  // the platform could not take it; the caller fails the build.
  virtual boost::asio::awaitable<Status> stage(Build build) = 0;
  // Makes the platform run, for these apps' processes, what the CC's records say: instances
  // of started apps with a staged droplet, nothing of the others.
  virtual boost::asio::awaitable<Status> sync_apps(std::vector<std::string> app_guids) = 0;
  // The instances of a started process, one per index below its instance count. Errors:
  // Unavailable when the platform cannot be asked.
  virtual boost::asio::awaitable<Result<std::vector<InstanceReport>>> instances(
      Process process) = 0;
};

}  // namespace cupola::cc
