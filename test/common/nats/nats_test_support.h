#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

#include "common/core/clock.h"
#include "common/log/log.h"
#include "common/nats/client.h"
#include "common/testing/nats/nats_server.h"

namespace cupola::nats::test {
namespace asio = boost::asio;
using namespace std::chrono_literals;

// One test's executor and logger. Declare it before the clients that use it.
struct Env {
  asio::io_context io;
  SystemClock clock;
  std::shared_ptr<log::MemorySink> sink = std::make_shared<log::MemorySink>();
  log::Logger log{sink, clock, "test", log::Level::Debug};

  // Options for a server started by the fixture: quick reconnects, bounded connect.
  static ClientOptions options_for(const testing::NatsServer& server) {
    ClientOptions options;
    options.servers = {server.url()};
    options.name = "nats-test";
    options.reconnect_wait = 100ms;
    options.connect_timeout = 1s;
    options.connect_retry_for = 10s;
    options.connect_backoff_min = 50ms;
    options.connect_backoff_max = 200ms;
    return options;
  }

  // Runs `body()` on the io_context until it returns; fails when it takes over `limit`.
  void run(std::function<asio::awaitable<void>()> body, std::chrono::seconds limit = 30s) {
    std::exception_ptr error;
    bool done = false;
    asio::co_spawn(io, body(), [&](std::exception_ptr e) {
      error = e;
      done = true;
      io.stop();
    });
    io.run_for(limit);
    io.restart();
    if (error) std::rethrow_exception(error);
    REQUIRE(done);
  }
};

// Collects values pushed on the executor and lets a coroutine wait for a count.
template <class T>
class Recorder {
 public:
  explicit Recorder(asio::io_context& io) : signal_(io) {}

  void push(T value) {
    items_.push_back(std::move(value));
    signal_.cancel();
  }
  // True once at least `count` values arrived; false when `timeout` passed first.
  asio::awaitable<bool> wait_for(std::size_t count, std::chrono::milliseconds timeout = 10s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (items_.size() < count) {
      if (std::chrono::steady_clock::now() >= deadline) co_return false;
      signal_.expires_at(deadline);
      co_await signal_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return true;
  }
  const std::vector<T>& items() const { return items_; }
  std::size_t size() const { return items_.size(); }

 private:
  asio::steady_timer signal_;
  std::vector<T> items_;
};

// Re-checks `condition` every few milliseconds until it holds or `timeout` passes; for
// conditions nothing signals (such as a log line being written).
inline asio::awaitable<bool> wait_until(std::function<bool()> condition,
                                        std::chrono::milliseconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    timer.expires_after(5ms);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return true;
}

// Connects `client`, failing the test with the error otherwise.
inline asio::awaitable<void> connect_or_fail(Client& client) {
  auto connected = co_await client.connect();
  INFO((connected ? std::string() : connected.error().describe()));
  REQUIRE(connected.ok());
}

}  // namespace cupola::nats::test
