#include "diego/executor/steps/try_step.h"

#include "diego/executor/steps/errors.h"

namespace cupola::executor {

TryStep::TryStep(std::unique_ptr<Step> step, log::Logger logger)
    : step_(std::move(step)), log_(logger.session("try-step")) {}

void TryStep::cancel() {
  cancelled_ = true;
  step_->cancel();
}

boost::asio::awaitable<Status> TryStep::perform() {
  if (cancelled_) co_return cancelled_error();
  auto status = co_await step_->perform();
  if (!status) log_.info("failed", {{"error", status.error().message}});
  if (cancelled_) co_return cancelled_error();
  co_return Status{};
}

}  // namespace cupola::executor
