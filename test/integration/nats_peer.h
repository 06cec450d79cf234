#pragma once

// A NATS client on its own thread, for tests that play another component on the bus (an
// emitter publishing routes, a router answering greetings). Calls block until done.

#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "common/core/clock.h"
#include "common/log/log.h"
#include "common/nats/client.h"

namespace cupola::test {

class NatsPeer {
 public:
  NatsPeer(const std::string& url, const std::string& name)
      : logger_(std::make_shared<log::MemorySink>(), clock_, name),
        guard_(io_.get_executor()),
        nats_(io_.get_executor(), nats::ClientOptions{.servers = {url}, .name = name}, logger_),
        thread_([this] { io_.run(); }) {
    call([this]() -> boost::asio::awaitable<void> {
      if (auto s = co_await nats_.connect(); !s) throw std::runtime_error(s.error().message);
    });
  }
  ~NatsPeer() {
    call([this]() -> boost::asio::awaitable<void> {
      subscriptions_.clear();
      nats_.close();
      co_return;
    });
    guard_.reset();
    thread_.join();
  }

  // Publishes and waits until the server has it.
  void publish(const std::string& subject, const std::string& data) {
    call([this, subject, data]() -> boost::asio::awaitable<void> {
      (void)nats_.publish(subject, data);
      co_await nats_.flush(std::chrono::seconds(5));
    });
  }
  // Delivers `subject`'s messages to `handler` on the peer's thread; returns once subscribed.
  void subscribe(const std::string& subject, std::function<void(nats::Message)> handler) {
    call([this, subject, handler]() -> boost::asio::awaitable<void> {
      auto sub = nats_.subscribe(subject, handler);
      if (!sub) throw std::runtime_error(sub.error().message);
      subscriptions_.push_back(std::move(sub).value());
      co_await nats_.flush(std::chrono::seconds(5));
    });
  }
  // For handlers: answers a request (on the peer's thread).
  void respond(const nats::Message& request, const std::string& data) {
    (void)nats_.respond(request, data);
  }

 private:
  template <class F>
  void call(F f) {
    boost::asio::co_spawn(io_, std::move(f), boost::asio::use_future).get();
  }

  SystemClock clock_;
  log::Logger logger_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  nats::Client nats_;
  std::vector<nats::Subscription> subscriptions_;
  std::thread thread_;
};

}  // namespace cupola::test
