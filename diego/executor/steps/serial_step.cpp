#include "diego/executor/steps/serial_step.h"

#include "diego/executor/steps/errors.h"

namespace cupola::executor {

SerialStep::SerialStep(std::vector<std::unique_ptr<Step>> steps) : steps_(std::move(steps)) {}

void SerialStep::cancel() {
  cancelled_ = true;
  if (current_) current_->cancel();
}

boost::asio::awaitable<Status> SerialStep::perform() {
  for (auto& step : steps_) {
    if (cancelled_) co_return cancelled_error();
    current_ = step.get();
    auto status = co_await step->perform();
    current_ = nullptr;
    if (!status) co_return status;
  }
  if (cancelled_) co_return cancelled_error();
  co_return Status{};
}

}  // namespace cupola::executor
