#include "diego/executor/steps/timeout_step.h"

#include <boost/asio/this_coro.hpp>

#include "common/core/time.h"
#include "diego/executor/steps/async.h"
#include "diego/executor/steps/errors.h"

namespace cupola::executor {

namespace asio = boost::asio;

TimeoutStep::TimeoutStep(std::unique_ptr<Step> step, std::chrono::milliseconds timeout,
                         log::Logger logger)
    : step_(std::move(step)), timeout_(timeout), log_(logger.session("timeout-step")) {}

void TimeoutStep::cancel() {
  cancelled_ = true;
  step_->cancel();
}

asio::awaitable<Status> TimeoutStep::perform() {
  auto ex = co_await asio::this_coro::executor;
  if (cancelled_) co_return cancelled_error();
  struct Outcome {
    explicit Outcome(asio::any_io_executor e) : wake(std::move(e)) {}
    Wakeup wake;
    std::optional<Status> status;
  };
  auto outcome = std::make_shared<Outcome>(ex);
  start_step(ex, *step_, [outcome](Status s) {
    outcome->status = std::move(s);
    outcome->wake.notify();
  });

  auto deadline = Wakeup::Clock::now() + timeout_;
  bool timed_out = false;
  while (!outcome->status) {
    if (!timed_out && Wakeup::Clock::now() >= deadline) {
      log_.error("timed-out", "exceeded " + format_duration(timeout_));
      timed_out = true;
      step_->cancel();
    }
    co_await outcome->wake.wait_until(timed_out ? Wakeup::Clock::time_point::max() : deadline);
  }
  auto status = std::move(*outcome->status);
  if (!timed_out) co_return status;
  std::string message = "exceeded " + format_duration(timeout_) + " timeout";
  if (!status && !is_cancelled(status.error()) && !status.error().message.empty()) {
    message += "; " + status.error().message;
  }
  co_return make_error(make_error_code(Errc::Timeout), std::move(message));
}

}  // namespace cupola::executor
