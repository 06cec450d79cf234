#include "diego/executor/steps/parallel_step.h"

#include <boost/asio/this_coro.hpp>

#include "diego/executor/steps/async.h"
#include "diego/executor/steps/errors.h"

namespace cupola::executor {

namespace asio = boost::asio;

asio::awaitable<std::vector<Status>> perform_all(
    const std::vector<std::unique_ptr<Step>>& steps,
    std::function<void(std::size_t, const Status&)> on_result) {
  struct Results {
    explicit Results(asio::any_io_executor ex, std::size_t n) : wake(std::move(ex)), all(n) {}
    Wakeup wake;
    std::vector<Status> all;
    std::size_t remaining = 0;
  };
  auto ex = co_await asio::this_coro::executor;
  auto results = std::make_shared<Results>(ex, steps.size());
  results->remaining = steps.size();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    start_step(ex, *steps[i], [results, i, on_result](Status status) {
      if (on_result) on_result(i, status);
      results->all[i] = std::move(status);
      if (--results->remaining == 0) results->wake.notify();
    });
  }
  while (results->remaining > 0) co_await results->wake.wait();
  co_return std::move(results->all);
}

ParallelStep::ParallelStep(std::vector<std::unique_ptr<Step>> steps) : steps_(std::move(steps)) {}

void ParallelStep::cancel() {
  if (cancelled_) return;
  cancelled_ = true;
  for (auto& s : steps_) s->cancel();
}

asio::awaitable<Status> ParallelStep::perform() {
  if (cancelled_) co_return cancelled_error();
  auto results = co_await perform_all(steps_);
  std::vector<Error> errors;
  for (auto& r : results) {
    if (!r) errors.push_back(std::move(r).error());
  }
  if (auto s = aggregate_errors(errors); !s) co_return s;
  if (cancelled_) co_return cancelled_error();
  co_return Status{};
}

}  // namespace cupola::executor
