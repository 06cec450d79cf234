#pragma once

#include <chrono>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola {

// Wakes one waiting coroutine: notify() makes the current or the next wait return. A loop
// "checks its state, then waits", and everything that changes the state notifies. Used on
// one executor only.
class Wakeup {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Wakeup(boost::asio::any_io_executor executor) : timer_(std::move(executor)) {}

  void notify() {
    pending_ = true;
    timer_.cancel();
  }

  // Returns after notify() (since the last wait returned) or at `deadline`.
  boost::asio::awaitable<void> wait_until(Clock::time_point deadline) {
    if (!pending_) {
      timer_.expires_at(deadline);
      co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    pending_ = false;
  }
  boost::asio::awaitable<void> wait() { return wait_until(Clock::time_point::max()); }

 private:
  boost::asio::steady_timer timer_;
  bool pending_ = false;
};

}  // namespace cupola
