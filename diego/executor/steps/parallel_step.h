#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "diego/executor/steps/step.h"

namespace cupola::executor {

// Performs its steps at once and waits for every one (a parallel action). It fails when any
// failed, with their messages joined by "; " (see aggregate_errors). cancel() cancels all.
class ParallelStep final : public Step {
 public:
  explicit ParallelStep(std::vector<std::unique_ptr<Step>> steps);

  // Step
  boost::asio::awaitable<Status> perform() override;
  void cancel() override;

 private:
  std::vector<std::unique_ptr<Step>> steps_;
  bool cancelled_ = false;
};

// Performs `steps` at once on the caller's executor and returns every result, in order.
// `on_result` sees each result as it comes (index, status) and may cancel steps.
boost::asio::awaitable<std::vector<Status>> perform_all(
    const std::vector<std::unique_ptr<Step>>& steps,
    std::function<void(std::size_t, const Status&)> on_result = {});

}  // namespace cupola::executor
