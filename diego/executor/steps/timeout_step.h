#pragma once

#include <chrono>
#include <memory>

#include "common/log/log.h"
#include "diego/executor/steps/step.h"

namespace cupola::executor {

// Performs its step within a time limit (a timeout action). When the time runs out it
// cancels the step, waits for it to end and fails with Errc::Timeout: "exceeded 5s timeout",
// followed by "; <the step's failure>" when the step failed other than by the cancel.
class TimeoutStep final : public Step {
 public:
  TimeoutStep(std::unique_ptr<Step> step, std::chrono::milliseconds timeout, log::Logger logger);

  // Step
  boost::asio::awaitable<Status> perform() override;
  void cancel() override;

 private:
  std::unique_ptr<Step> step_;
  std::chrono::milliseconds timeout_;
  log::Logger log_;
  bool cancelled_ = false;
};

}  // namespace cupola::executor
