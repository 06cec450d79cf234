#include "diego/executor/steps/monitor_step.h"

#include <algorithm>

#include <boost/asio/this_coro.hpp>

#include "common/core/time.h"
#include "diego/executor/steps/errors.h"

namespace cupola::executor {

namespace asio = boost::asio;

namespace {

std::string trim(std::string_view s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

}  // namespace

MonitorStep::MonitorStep(CheckFactory make_check, std::shared_ptr<LogStreamer> streamer,
                         MonitorOptions options, std::function<void()> on_healthy,
                         log::Logger logger)
    : make_check_(std::move(make_check)),
      cell_(streamer->with_source("CELL")),
      health_(streamer->with_source("HEALTH")),
      options_(options),
      on_healthy_(std::move(on_healthy)),
      log_(logger.session("monitor-step")) {}

void MonitorStep::cancel() {
  cancelled_ = true;
  if (current_) current_->cancel();
  if (wake_) wake_->notify();
}

asio::awaitable<Status> MonitorStep::check() {
  auto output = std::make_shared<BufferLogStreamer>("HEALTH");
  current_ = make_check_(output);
  auto status = co_await current_->perform();
  current_.reset();
  if (cancelled_) co_return cancelled_error();
  if (status) co_return status;
  auto message = trim(output->contents());
  if (message.empty()) message = status.error().message;
  if (message.empty()) message = "health check failed without output";
  co_return step_failed(std::move(message));
}

Error MonitorStep::unhealthy(std::string_view check_message, std::string_view cell_message,
                             std::string reason) {
  health_->err(std::string(check_message) + "\n");
  cell_->err(std::string(cell_message) + "\n");
  log_.info("unhealthy", {{"reason", reason}});
  return step_failed(std::move(reason));
}

asio::awaitable<Status> MonitorStep::perform() {
  wake_.emplace(co_await asio::this_coro::executor);
  if (cancelled_) co_return cancelled_error();
  cell_->out("Starting health monitoring of container\n");

  using Clock = Wakeup::Clock;
  auto deadline = options_.start_timeout.count() > 0 ? Clock::now() + options_.start_timeout
                                                     : Clock::time_point::max();
  auto interval = options_.first_interval;
  for (;;) {
    auto status = co_await check();
    if (cancelled_) co_return cancelled_error();
    if (status) break;
    auto now = Clock::now();
    if (now >= deadline) {
      auto after = format_duration(options_.start_timeout);
      co_return unhealthy(status.error().message,
                          "Failed after " + after + ": startup health check never passed.",
                          "Instance never healthy after " + after + ": " + status.error().message);
    }
    co_await wake_->wait_until(std::min(now + interval, deadline));
    if (cancelled_) co_return cancelled_error();
    interval = std::min(interval * 2, options_.unhealthy_interval);
  }

  log_.info("transitioned-to-healthy");
  cell_->out("Container became healthy\n");
  if (on_healthy_) on_healthy_();
  for (;;) {
    co_await wake_->wait_until(Clock::now() + options_.healthy_interval);
    if (cancelled_) co_return cancelled_error();
    auto status = co_await check();
    if (cancelled_) co_return cancelled_error();
    if (!status) {
      co_return unhealthy(status.error().message, "Container became unhealthy",
                          "Instance became unhealthy: " + status.error().message);
    }
  }
}

}  // namespace cupola::executor
