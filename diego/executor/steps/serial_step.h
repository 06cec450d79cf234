#pragma once

#include <memory>
#include <vector>

#include "diego/executor/steps/step.h"

namespace cupola::executor {

// Performs its steps one after another and stops at the first failure, which is its own
// (a serial action). cancel() cancels the step running now and starts no other.
class SerialStep final : public Step {
 public:
  explicit SerialStep(std::vector<std::unique_ptr<Step>> steps);

  // Step
  boost::asio::awaitable<Status> perform() override;
  void cancel() override;

 private:
  std::vector<std::unique_ptr<Step>> steps_;
  Step* current_ = nullptr;
  bool cancelled_ = false;
};

}  // namespace cupola::executor
