#pragma once

#include <cstddef>
#include <list>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bbs/src/controllers/task_controller.h"
#include "common/core/result.h"
#include "common/log/log.h"
#include "common/service/service.h"

namespace cupola::bbs {

// Sends one completion callback: POST of a JSON body, answering the HTTP status.
class CallbackPoster {
 public:
  virtual ~CallbackPoster() = default;
  virtual boost::asio::awaitable<Result<unsigned>> post_json(std::string url, std::string body) = 0;
};

// Delivers completion callbacks: claims the task (COMPLETED → RESOLVING, so two BBSs never
// both call back), POSTs {task_guid, failed, failure_reason, result, annotation, created_at}
// to its completion_callback_url, and deletes the task once the receiver answered. Up to 3
// attempts, retrying on a timeout or 503/504 only; a task whose callback gave up stays
// RESOLVING until convergence puts it back to COMPLETED for another try. At most
// `max_in_flight` callbacks run at once; more are left to convergence. Runs on the BBS's
// executor.
class CallbackWorker final : public TaskCompletionSink, public Service {
 public:
  CallbackWorker(boost::asio::any_io_executor ex, TaskController& tasks, CallbackPoster& poster,
                 log::Logger log, std::size_t max_in_flight = 100);

  void task_completed(const Task& task) override;

  // Service: run() lasts until stop(), which cancels the callbacks in flight (their tasks
  // stay RESOLVING; convergence retries them) and takes no new ones.
  std::string name() const override { return "callbacks"; }
  boost::asio::awaitable<void> run() override;
  void stop() override;

  std::size_t in_flight() const { return in_flight_; }
  std::uint64_t delivered() const { return delivered_; }

  static constexpr int kMaxAttempts = 3;

 private:
  boost::asio::awaitable<void> deliver(Task task);

  boost::asio::any_io_executor ex_;
  TaskController& tasks_;
  CallbackPoster& poster_;
  log::Logger log_;
  std::size_t max_in_flight_;
  std::size_t in_flight_ = 0;
  std::uint64_t delivered_ = 0;
  bool stopping_ = false;
  std::list<boost::asio::cancellation_signal> cancels_;  // one per delivery in flight
  boost::asio::steady_timer stopped_;
};

// The callback's JSON body.
std::string callback_body(const Task& task);

}  // namespace cupola::bbs
