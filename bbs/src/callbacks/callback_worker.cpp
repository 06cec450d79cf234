#include "bbs/src/callbacks/callback_worker.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/json/json.h"

namespace cupola::bbs {
namespace asio = boost::asio;

std::string callback_body(const Task& t) {
  json::Writer w;
  w.start_object();
  w.field("task_guid", t.task_guid).field("failed", t.failed);
  w.field("failure_reason", t.failure_reason).field("result", t.result);
  w.field("annotation", t.definition.annotation);
  w.field("created_at", static_cast<long long>(t.created_at));
  w.end_object();
  return w.str();
}

CallbackWorker::CallbackWorker(asio::any_io_executor ex, TaskController& tasks,
                               CallbackPoster& poster, log::Logger log, std::size_t max_in_flight)
    : ex_(std::move(ex)),
      tasks_(tasks),
      poster_(poster),
      log_(std::move(log)),
      max_in_flight_(max_in_flight),
      stopped_(ex_, asio::steady_timer::time_point::max()) {}

void CallbackWorker::task_completed(const Task& task) {
  if (stopping_ || in_flight_ >= max_in_flight_) {
    log_.info("callback-deferred", {{"task_guid", task.task_guid}});
    return;
  }
  ++in_flight_;
  auto cancel = cancels_.emplace(cancels_.end());
  asio::co_spawn(ex_, deliver(task),
                 asio::bind_cancellation_slot(
                     cancel->slot(), [this, cancel, guid = task.task_guid](std::exception_ptr e) {
                       if (e) log_.info("callback-ended", {{"task_guid", guid}});
                       cancels_.erase(cancel);
                       if (--in_flight_ == 0 && stopping_) stopped_.cancel();
                     }));
}

asio::awaitable<void> CallbackWorker::run() {
  while (!stopping_ || in_flight_ > 0) {
    co_await stopped_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void CallbackWorker::stop() {
  stopping_ = true;
  for (auto& c : cancels_) c.emit(asio::cancellation_type::terminal);
  if (in_flight_ == 0) stopped_.cancel();
}

asio::awaitable<void> CallbackWorker::deliver(Task task) {
  auto log = log_.session("callback", {{"task_guid", task.task_guid}});
  if (auto claimed = co_await tasks_.resolving(task.task_guid); !claimed) {
    log.info("not-claimed", {{"reason", claimed.error().message}});
    co_return;
  }
  const std::string body = callback_body(task);
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    auto status = co_await poster_.post_json(task.definition.completion_callback_url, body);
    if (!status) {
      if (status.error().code != Errc::Timeout) {
        log.error("failed", status.error().message, {{"attempt", attempt}});
        co_return;
      }
      log.info("timed-out", {{"attempt", attempt}});
      continue;
    }
    if (*status == 503 || *status == 504) {
      log.info("unavailable", {{"attempt", attempt}, {"status", *status}});
      continue;
    }
    if (auto resolved = co_await tasks_.resolve(task.task_guid); !resolved) {
      log.error("resolve-failed", resolved.error().message);
      co_return;
    }
    ++delivered_;
    log.info("delivered", {{"status", *status}});
    co_return;
  }
  log.info("gave-up", {{"attempts", kMaxAttempts}});
}

}  // namespace cupola::bbs
