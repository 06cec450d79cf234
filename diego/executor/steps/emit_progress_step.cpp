#include "diego/executor/steps/emit_progress_step.h"

#include "diego/executor/steps/errors.h"

namespace cupola::executor {

EmitProgressStep::EmitProgressStep(std::unique_ptr<Step> step, ProgressMessages messages,
                                   std::shared_ptr<LogStreamer> streamer, log::Logger logger)
    : step_(std::move(step)),
      messages_(std::move(messages)),
      streamer_(std::move(streamer)),
      log_(logger.session("emit-progress-step")) {}

void EmitProgressStep::cancel() { step_->cancel(); }

boost::asio::awaitable<Status> EmitProgressStep::perform() {
  if (!messages_.start.empty()) streamer_->out(messages_.start + "\n");
  auto status = co_await step_->perform();
  if (status) {
    if (!messages_.success.empty()) streamer_->out(messages_.success + "\n");
    co_return status;
  }
  if (!messages_.failure_prefix.empty()) {
    std::string line = messages_.failure_prefix;
    const auto& error = status.error();
    if (!is_cancelled(error) && !error.message.empty()) {
      line += ": " + error.message;
      log_.info("errored", {{"message-emitted", error.message}});
    }
    streamer_->err(line + "\n");
  }
  co_return status;
}

}  // namespace cupola::executor
