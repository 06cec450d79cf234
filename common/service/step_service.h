#pragma once

#include <functional>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/service/service.h"

namespace cupola {

// A service that only has a start step and, optionally, a stop step: connecting to NATS,
// migrating a database. run() waits for stop().
class StepService final : public Service {
 public:
  StepService(boost::asio::any_io_executor ex, std::string name,
              std::function<boost::asio::awaitable<void>()> start,
              std::function<void()> on_stop = {})
      : name_(std::move(name)),
        start_(std::move(start)),
        on_stop_(std::move(on_stop)),
        wait_(std::move(ex), boost::asio::steady_timer::time_point::max()) {}

  std::string name() const override { return name_; }
  boost::asio::awaitable<void> start() override { co_await start_(); }
  boost::asio::awaitable<void> run() override {
    while (!stopped_) {
      co_await wait_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
  }
  void stop() override {
    stopped_ = true;
    wait_.cancel();
    if (on_stop_) on_stop_();
  }

 private:
  std::string name_;
  std::function<boost::asio::awaitable<void>()> start_;
  std::function<void()> on_stop_;
  boost::asio::steady_timer wait_;
  bool stopped_ = false;
};

}  // namespace cupola
