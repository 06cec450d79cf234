#include "common/service/service.h"

#include <catch2/catch.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

using namespace cupola;
namespace asio = boost::asio;

namespace {

// Records its lifecycle; run() waits until stop(), then takes `drain` to finish.
class RecordingService final : public Service {
 public:
  RecordingService(asio::io_context& io, std::string name, std::vector<std::string>& events,
                   bool fail_start = false, bool fail_run = false)
      : io_(io),
        name_(std::move(name)),
        events_(events),
        fail_start_(fail_start),
        fail_run_(fail_run),
        wake_(io, asio::steady_timer::time_point::max()) {}

  std::string name() const override { return name_; }
  asio::awaitable<void> start() override {
    if (fail_start_) throw std::runtime_error(name_ + " cannot bind");
    events_.push_back(name_ + ".start");
    co_return;
  }
  asio::awaitable<void> run() override {
    events_.push_back(name_ + ".run");
    if (fail_run_) throw std::runtime_error(name_ + " crashed");
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    // Drain takes a turn of the loop, so a later stop() would be seen before this ends.
    co_await asio::post(io_, asio::use_awaitable);
    events_.push_back(name_ + ".drained");
  }
  void stop() override {
    events_.push_back(name_ + ".stop");
    wake_.cancel();
  }

 private:
  asio::io_context& io_;
  std::string name_;
  std::vector<std::string>& events_;
  bool fail_start_;
  bool fail_run_;
  asio::steady_timer wake_;
};

struct Harness {
  asio::io_context io;
  FakeClock clock;
  std::shared_ptr<log::MemorySink> sink = std::make_shared<log::MemorySink>();
  ServiceGroup group{io, log::Logger(sink, clock, "demo")};
  std::vector<std::string> events;
};

}  // namespace

TEST_CASE("ServiceGroup starts in order and stops in reverse, each after the next drained") {
  Harness h;
  h.group.add(std::make_shared<RecordingService>(h.io, "db", h.events));
  h.group.add(std::make_shared<RecordingService>(h.io, "api", h.events));
  asio::post(h.io, [&] { h.group.stop(); });
  int code = h.group.run();
  CHECK(code == 0);
  CHECK(h.events == std::vector<std::string>{"db.start", "api.start", "db.run", "api.run",
                                             "api.stop", "api.drained", "db.stop", "db.drained"});
  CHECK(h.sink->contains_message("demo.started"));
  CHECK(h.sink->contains_message("demo.exited"));
}

TEST_CASE("ServiceGroup fails the process when a service cannot start") {
  Harness h;
  h.group.add(std::make_shared<RecordingService>(h.io, "db", h.events));
  h.group.add(std::make_shared<RecordingService>(h.io, "api", h.events, true));
  int code = h.group.run();
  CHECK(code == 1);
  CHECK(h.events == std::vector<std::string>{"db.start", "db.stop"});
  CHECK(h.sink->contains_message("demo.start-failed"));
  CHECK_FALSE(h.sink->contains_message("demo.started"));
  CHECK(h.sink->contains_message("demo.exited"));
}

TEST_CASE("ServiceGroup stops everything when one service's run fails") {
  Harness h;
  h.group.add(std::make_shared<RecordingService>(h.io, "db", h.events));
  h.group.add(std::make_shared<RecordingService>(h.io, "api", h.events, false, true));
  int code = h.group.run();
  CHECK(code == 1);
  CHECK(h.sink->contains_message("demo.service-failed"));
  CHECK(std::find(h.events.begin(), h.events.end(), "db.drained") != h.events.end());
}

namespace {

// A start that waits (like a connect retrying) until stop() gives up on it.
class BlockedStart final : public Service {
 public:
  explicit BlockedStart(asio::io_context& io) : wait_(io, asio::steady_timer::time_point::max()) {}
  std::string name() const override { return "blocked"; }
  asio::awaitable<void> start() override {
    co_await wait_.async_wait(asio::as_tuple(asio::use_awaitable));
    throw std::runtime_error("connect cancelled");
  }
  asio::awaitable<void> run() override { co_return; }
  void stop() override {
    stopped = true;
    wait_.cancel();
  }
  bool stopped = false;

 private:
  asio::steady_timer wait_;
};

}  // namespace

TEST_CASE("ServiceGroup stops a service that is still starting, and that is no failure") {
  Harness h;
  h.group.add(std::make_shared<RecordingService>(h.io, "db", h.events));
  auto blocked = std::make_shared<BlockedStart>(h.io);
  h.group.add(blocked);
  asio::post(h.io, [&] { h.group.stop(); });
  int code = h.group.run();
  CHECK(code == 0);
  CHECK(blocked->stopped);
  CHECK(h.events == std::vector<std::string>{"db.start", "db.stop"});
  CHECK(h.sink->contains_message("demo.start-interrupted"));
  CHECK_FALSE(h.sink->contains_message("demo.start-failed"));
}
