#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bbs/src/controllers/outbound.h"
#include "bbs/src/db/task_db.h"
#include "bbs/src/events/event_hub.h"
#include "bbs/src/lifecycle/task_lifecycle.h"
#include "common/core/clock.h"
#include "common/core/guid.h"
#include "common/log/log.h"

namespace cupola::bbs {

// Completed tasks with a completion_callback_url are handed here (see CallbackWorker).
class TaskCompletionSink {
 public:
  virtual ~TaskCompletionSink() = default;
  virtual void task_completed(const Task& task) = 0;
};

struct TaskControllerDeps {
  TaskDb& tasks;
  EventHub& events;
  AuctioneerClient& auctioneer;
  RepClient& reps;
  TaskCompletionSink& completions;
  const Clock& clock;
  GuidGenerator& guids;
  log::Logger log;
};

// The rules of tasks. Runs on the BBS's executor.
class TaskController {
 public:
  explicit TaskController(TaskControllerDeps deps) : d_(std::move(deps)) {}

  boost::asio::awaitable<Status> desire(Task task);
  // Whether the calling cell may run the task: true only for the call that moved it from
  // PENDING to RUNNING.
  boost::asio::awaitable<Result<bool>> start(std::string task_guid, std::string cell_id);
  boost::asio::awaitable<Status> complete(std::string task_guid, TaskCompletion completion);
  boost::asio::awaitable<Status> fail(std::string task_guid, std::string failure_reason);
  boost::asio::awaitable<Status> reject(std::string task_guid, std::string reason);
  boost::asio::awaitable<Status> cancel(std::string task_guid);
  boost::asio::awaitable<Status> resolving(std::string task_guid);
  boost::asio::awaitable<Status> resolve(std::string task_guid);
  boost::asio::awaitable<Result<std::vector<Task>>> list(TaskFilter filter);
  boost::asio::awaitable<Result<Task>> get(std::string task_guid);

 private:
  std::int64_t now() const;
  // Runs a decision under the task's lock and publishes what it wrote.
  boost::asio::awaitable<Result<TaskChange>> write(
      std::string task_guid, std::function<Result<TaskWrite>(const Task&)> decide);
  void completed(const TaskChange& change);

  TaskControllerDeps d_;
};

}  // namespace cupola::bbs
