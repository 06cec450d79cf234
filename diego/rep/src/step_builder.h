#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/core/result.h"
#include "diego/executor/log_streamer.h"
#include "diego/executor/steps/step.h"
#include "diego/garden/garden.h"

namespace cupola::rep {

struct MonitorTiming {
  std::chrono::milliseconds start_timeout{60'000};
  std::chrono::milliseconds unhealthy_interval{2'000};
  std::chrono::milliseconds healthy_interval{30'000};
};

// Turns a container's JSON actions into executor steps bound to that container. An
// interface so that the rep's lifecycle logic can be tested with scripted steps.
class StepBuilder {
 public:
  virtual ~StepBuilder() = default;
  // Errors: InvalidArgument when the action does not decode.
  virtual Result<std::unique_ptr<executor::Step>> action(
      const std::string& action_json, std::shared_ptr<garden::Container> container,
      std::shared_ptr<executor::LogStreamer> log) = 0;
  // The health monitor: runs `check_json` until it passes (then calls on_healthy), then
  // keeps checking; fails with Cloud Foundry's "Instance never healthy after ..." or
  // "Instance became unhealthy: ...".
  virtual Result<std::unique_ptr<executor::Step>> monitor(
      const std::string& check_json, std::shared_ptr<garden::Container> container,
      std::shared_ptr<executor::LogStreamer> log, MonitorTiming timing,
      std::function<void()> on_healthy) = 0;
  // Where a container's output goes: the cell's log file of the container, and the app's
  // logs (log_guid) when it has one.
  struct LogTarget {
    std::string source;  // "APP/PROC/WEB", "TASK", ...
    std::int32_t index = 0;
    std::string log_guid;               // "": no app logs
    std::int64_t bytes_per_second = 0;  // the instance's log rate limit; 0: unlimited
  };
  virtual std::shared_ptr<executor::LogStreamer> log_streamer(const std::string& handle,
                                                              const LogTarget& target) = 0;
};

}  // namespace cupola::rep
