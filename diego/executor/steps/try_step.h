#pragma once

#include <memory>

#include "common/log/log.h"
#include "diego/executor/steps/step.h"

namespace cupola::executor {

// Performs its step and succeeds whatever it did, logging a failure (a try action). Only a
// cancel() makes it fail (Errc::Cancelled), so that a cancelled tree stops.
class TryStep final : public Step {
 public:
  TryStep(std::unique_ptr<Step> step, log::Logger logger);

  // Step
  boost::asio::awaitable<Status> perform() override;
  void cancel() override;

 private:
  std::unique_ptr<Step> step_;
  log::Logger log_;
  bool cancelled_ = false;
};

}  // namespace cupola::executor
