#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "common/log/log.h"
#include "diego/executor/log_streamer.h"
#include "diego/executor/steps/async.h"
#include "diego/executor/steps/step.h"

namespace cupola::executor {

struct MonitorOptions {
  // How long the instance may take to pass its first check (the LRP's start_timeout_ms);
  // zero: no limit.
  std::chrono::milliseconds start_timeout{60'000};
  // While unhealthy the checks come ever less often: the first wait, doubled each time up to
  // unhealthy_interval.
  std::chrono::milliseconds first_interval{25};
  std::chrono::milliseconds unhealthy_interval{2'000};
  // Once healthy, the time between two checks.
  std::chrono::milliseconds healthy_interval{30'000};
};

// Builds one health check; its output goes to `output` and becomes its failure message.
using CheckFactory = std::function<std::unique_ptr<Step>(std::shared_ptr<LogStreamer> output)>;

// Watches an instance's health with a check action (Diego's monitor step). The first check
// runs at once, then again while it fails (see MonitorOptions) until one passes: the step
// writes "Container became healthy" and calls `on_healthy`, then checks every
// healthy_interval and fails at the first failing check with "Instance became unhealthy:
// <check output>". When no check passed within the start timeout it fails with "Instance
// never healthy after 1m0s: <last check's output>". It never ends successfully: only a
// failure or cancel() ends it. Messages about the container go to the "CELL" source and a
// failing check's output to "HEALTH". `on_healthy` runs on the step's executor and must not
// destroy the step.
class MonitorStep final : public Step {
 public:
  MonitorStep(CheckFactory make_check, std::shared_ptr<LogStreamer> streamer,
              MonitorOptions options, std::function<void()> on_healthy, log::Logger logger);

  // Step
  boost::asio::awaitable<Status> perform() override;
  void cancel() override;

 private:
  // Runs one check: ok, cancelled, or a failure whose message is the check's output.
  boost::asio::awaitable<Status> check();
  Error unhealthy(std::string_view check_message, std::string_view cell_message,
                  std::string reason);

  CheckFactory make_check_;
  std::shared_ptr<LogStreamer> cell_;
  std::shared_ptr<LogStreamer> health_;
  MonitorOptions options_;
  std::function<void()> on_healthy_;
  log::Logger log_;
  std::optional<Wakeup> wake_;
  std::unique_ptr<Step> current_;
  bool cancelled_ = false;
};

}  // namespace cupola::executor
