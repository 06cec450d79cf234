#pragma once

#include <memory>
#include <string>

#include "common/log/log.h"
#include "diego/executor/log_streamer.h"
#include "diego/executor/steps/step.h"

namespace cupola::executor {

struct ProgressMessages {
  std::string start;           // stdout, before the step
  std::string success;         // stdout, when it succeeded
  std::string failure_prefix;  // stderr, when it failed: "<prefix>: <its failure>"
};

// Writes progress messages around its step (an emit_progress action): the start message,
// then the success message, or on failure the failure prefix followed by ": " and the
// step's failure message (only the prefix when the step was cancelled or its failure has no
// message). Empty messages are not written. The step's result is passed on unchanged.
class EmitProgressStep final : public Step {
 public:
  EmitProgressStep(std::unique_ptr<Step> step, ProgressMessages messages,
                   std::shared_ptr<LogStreamer> streamer, log::Logger logger);

  // Step
  boost::asio::awaitable<Status> perform() override;
  void cancel() override;

 private:
  std::unique_ptr<Step> step_;
  ProgressMessages messages_;
  std::shared_ptr<LogStreamer> streamer_;
  log::Logger log_;
};

}  // namespace cupola::executor
