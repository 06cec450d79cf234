#pragma once

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/core/clock.h"
#include "common/log/log.h"

namespace cupola::pg::test {

namespace asio = boost::asio;

inline log::Logger test_logger(std::shared_ptr<log::MemorySink> sink = nullptr) {
  static SystemClock clock;
  if (!sink) sink = std::make_shared<log::MemorySink>();
  return log::Logger(sink, clock, "pg-test", log::Level::Debug);
}

template <class T>
asio::awaitable<std::optional<T>> as_optional(asio::awaitable<T> op) {
  co_return co_await std::move(op);
}

// Runs `op` on `io` until it completes; throws (failing the test) after `timeout`.
// Other work on `io` (a listener's loop) runs alongside.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> op,
      std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  std::optional<T> result;
  std::exception_ptr error;
  bool done = false;
  asio::co_spawn(io, as_optional(std::move(op)), [&](std::exception_ptr e, std::optional<T> v) {
    error = e;
    result = std::move(v);
    done = true;
  });
  auto deadline = std::chrono::steady_clock::now() + timeout;
  io.restart();
  while (!done && std::chrono::steady_clock::now() < deadline) {
    if (io.run_one_until(deadline) == 0 && io.stopped()) io.restart();
  }
  if (!done) throw std::runtime_error("operation did not complete in time");
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

// Completes once `count` parties have arrived: lines up concurrent coroutines at a point.
class Barrier {
 public:
  Barrier(asio::any_io_executor ex, int count)
      : timer_(ex, asio::steady_timer::time_point::max()), count_(count) {}
  asio::awaitable<void> arrive() {
    if (++arrived_ >= count_) {
      timer_.cancel();
      co_return;
    }
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }

 private:
  asio::steady_timer timer_;
  int count_;
  int arrived_ = 0;
};

}  // namespace cupola::pg::test
