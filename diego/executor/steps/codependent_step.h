#pragma once

#include <memory>
#include <vector>

#include "diego/executor/steps/step.h"

namespace cupola::executor {

// Performs its steps at once; all must keep running (a codependent action: an app and its
// health monitor). The first to end, failed or not, cancels the others; a step that ends
// without failing counts as the failure "Codependent step exited". The step fails with
// every failure's message joined by "; " (cancelled siblings add none).
class CodependentStep final : public Step {
 public:
  explicit CodependentStep(std::vector<std::unique_ptr<Step>> steps);

  // Step
  boost::asio::awaitable<Status> perform() override;
  void cancel() override;

 private:
  void cancel_all();

  std::vector<std::unique_ptr<Step>> steps_;
  bool cancelled_ = false;
  bool cancelling_ = false;
};

}  // namespace cupola::executor
