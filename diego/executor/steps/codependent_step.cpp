#include "diego/executor/steps/codependent_step.h"

#include "diego/executor/steps/errors.h"
#include "diego/executor/steps/parallel_step.h"

namespace cupola::executor {

CodependentStep::CodependentStep(std::vector<std::unique_ptr<Step>> steps)
    : steps_(std::move(steps)) {}

void CodependentStep::cancel_all() {
  if (cancelling_) return;
  cancelling_ = true;
  for (auto& s : steps_) s->cancel();
}

void CodependentStep::cancel() {
  cancelled_ = true;
  cancel_all();
}

boost::asio::awaitable<Status> CodependentStep::perform() {
  if (cancelled_) co_return cancelled_error();
  auto results = co_await perform_all(steps_, [this](std::size_t, const Status&) { cancel_all(); });
  std::vector<Error> errors;
  for (auto& r : results) {
    errors.push_back(r ? step_failed("Codependent step exited") : std::move(r).error());
  }
  if (cancelled_) {
    // Stopped from outside: whatever the steps said, this is a cancellation.
    co_return cancelled_error();
  }
  co_return aggregate_errors(errors);
}

}  // namespace cupola::executor
