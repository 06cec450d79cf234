#pragma once

// Runs steps on a private io_context driven by the test thread, with a blocking pool, a fake
// container, and a log streamer that keeps its lines.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <catch2/catch.hpp>

#include "common/core/clock.h"
#include "common/log/log.h"
#include "diego/executor/log_streamer.h"
#include "diego/executor/steps/async.h"
#include "diego/executor/steps/errors.h"
#include "diego/executor/steps/step.h"
#include "test/diego/executor/fake_garden.h"

namespace cupola::executor::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct LogLine {
  std::string source;
  std::string stream;  // "OUT" or "ERR"
  std::string text;
  bool operator==(const LogLine&) const = default;
};

// Keeps every line, from every source it hands out, in one list. Thread-safe.
class RecordingStreamer final : public LogStreamer {
 public:
  struct Shared {
    std::mutex mu;
    std::vector<LogLine> lines;
  };

  explicit RecordingStreamer(std::string source, std::shared_ptr<Shared> shared = nullptr)
      : source_(std::move(source)),
        shared_(shared ? std::move(shared) : std::make_shared<Shared>()),
        out_(1024),
        err_(1024) {}

  // LogStreamer
  void out(std::string_view chunk) override { write(out_, "OUT", chunk); }
  void err(std::string_view chunk) override { write(err_, "ERR", chunk); }
  void flush() override {
    std::lock_guard lock(shared_->mu);
    out_.flush(emit("OUT"));
    err_.flush(emit("ERR"));
  }
  const std::string& source_name() const override { return source_; }
  std::shared_ptr<LogStreamer> with_source(std::string_view source) override {
    return std::make_shared<RecordingStreamer>(source.empty() ? source_ : std::string(source),
                                               shared_);
  }

  std::vector<LogLine> lines() const {
    std::lock_guard lock(shared_->mu);
    return shared_->lines;
  }
  // The texts of one source's lines on one stream.
  std::vector<std::string> texts(std::string_view source, std::string_view stream) const {
    std::vector<std::string> out;
    for (const auto& l : lines()) {
      if (l.source == source && l.stream == stream) out.push_back(l.text);
    }
    return out;
  }

 private:
  LineSplitter::Emit emit(std::string stream) {
    return [this, stream](std::string_view line) {
      shared_->lines.push_back(LogLine{source_, stream, std::string(line)});
    };
  }
  void write(LineSplitter& splitter, const std::string& stream, std::string_view chunk) {
    std::lock_guard lock(shared_->mu);
    splitter.write(chunk, emit(stream));
  }

  std::string source_;
  std::shared_ptr<Shared> shared_;
  LineSplitter out_;
  LineSplitter err_;
};

// A step whose outcome the test decides: it ends at once with `result`, or (held) waits until
// release() or cancel().
class ScriptedStep final : public Step {
 public:
  explicit ScriptedStep(Status result = {}, bool held = false)
      : result_(std::move(result)), held_(held) {}

  // Step
  asio::awaitable<Status> perform() override {
    wake_.emplace(co_await asio::this_coro::executor);
    started = true;
    while (held_ && !cancelled && !released_) co_await wake_->wait();
    finished = true;
    if (cancelled && held_ && !released_) co_return cancelled_error();
    co_return result_;
  }
  void cancel() override {
    cancelled = true;
    ++cancel_calls;
    if (wake_) wake_->notify();
  }

  void release(Status result) {
    result_ = std::move(result);
    released_ = true;
    if (wake_) wake_->notify();
  }

  bool started = false;
  bool finished = false;
  bool cancelled = false;
  int cancel_calls = 0;

 private:
  Status result_;
  bool held_;
  bool released_ = false;
  std::optional<Wakeup> wake_;
};

// The io_context (run by the test thread) and a blocking pool. Declared before anything
// that posts to them, so it is destroyed last.
struct Loop {
  asio::io_context io;
  asio::thread_pool blocking{2};
  SystemClock clock;
  std::shared_ptr<log::MemorySink> sink = std::make_shared<log::MemorySink>();
  log::Logger logger{sink, clock, "executor", log::Level::Debug};

  ~Loop() { blocking.join(); }

  // Runs handlers until `done()` holds; fails the test after `limit`.
  void run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    auto guard = asio::make_work_guard(io);
    auto deadline = std::chrono::steady_clock::now() + limit;
    io.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline) io.run_one_for(10ms);
    REQUIRE(done());
  }

  // Starts step.perform(); the result lands in the returned slot.
  std::shared_ptr<std::optional<Status>> start(Step& step) {
    auto slot = std::make_shared<std::optional<Status>>();
    start_step(io.get_executor(), step, [slot](Status s) { *slot = std::move(s); });
    return slot;
  }

  Status perform(Step& step, std::chrono::milliseconds limit = 10s) {
    auto slot = start(step);
    run_until([&] { return slot->has_value(); }, limit);
    return std::move(**slot);
  }

  template <class T>
  T run(asio::awaitable<T> op, std::chrono::milliseconds limit = 10s) {
    auto slot = std::make_shared<std::optional<T>>();
    asio::co_spawn(io, store_into(std::move(op), slot), asio::detached);
    run_until([&] { return slot->has_value(); }, limit);
    return std::move(**slot);
  }

  template <class T>
  static asio::awaitable<void> store_into(asio::awaitable<T> op,
                                          std::shared_ptr<std::optional<T>> slot) {
    *slot = co_await std::move(op);
  }
};

inline bool has_message(const Status& s, std::string_view message) {
  return !s.ok() && s.error().message == message;
}

}  // namespace cupola::executor::test
