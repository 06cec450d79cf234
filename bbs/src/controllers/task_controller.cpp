#include "bbs/src/controllers/task_controller.h"

#include "bbs/api/models/errors.h"
#include "bbs/src/controllers/invalid.h"

namespace cupola::bbs {
namespace asio = boost::asio;

std::int64_t TaskController::now() const { return unix_nanos(d_.clock.now()); }

asio::awaitable<Result<TaskChange>> TaskController::write(
    std::string task_guid, std::function<Result<TaskWrite>(const Task&)> decide) {
  auto change = co_await d_.tasks.mutate(std::move(task_guid), std::move(decide));
  if (!change) co_return change;
  if (change->removed) {
    d_.events.publish(task_removed(change->before));
  } else if (change->after) {
    d_.events.publish(task_changed(change->before, *change->after));
  }
  co_return change;
}

void TaskController::completed(const TaskChange& change) {
  if (change.after && change.after->state == TaskState::Completed &&
      !change.after->definition.completion_callback_url.empty()) {
    d_.completions.task_completed(*change.after);
  }
}

asio::awaitable<Status> TaskController::desire(Task task) {
  const auto t = now();
  task.state = TaskState::Pending;
  task.cell_id.clear();
  task.created_at = task.updated_at = t;
  task.first_completed_at = 0;
  task.modification_tag = {d_.guids.next(), 0};
  if (auto p = validate(task); !p.empty()) co_return invalid_request(p);
  if (auto s = co_await d_.tasks.desire(task); !s) co_return s;
  d_.log.info("task-desired", {{"task_guid", task.task_guid}});
  d_.events.publish(task_created(task));
  const auto& def = task.definition;
  std::vector<TaskStartRequest> batch;
  batch.push_back({task.task_guid, task.domain, def.memory_mb, def.disk_mb, def.max_pids,
                   def.root_fs, def.placement_tags});
  d_.auctioneer.request_task_auctions(std::move(batch));
  co_return Status{};
}

asio::awaitable<Result<bool>> TaskController::start(std::string task_guid, std::string cell_id) {
  if (cell_id.empty()) co_return invalid_request({"Invalid field: cell_id"});
  const auto t = now();
  auto change = co_await write(
      task_guid, [&](const Task& task) { return decide_start_task(task, cell_id, t); });
  if (!change) co_return std::move(change).error();
  co_return change->after.has_value();
}

asio::awaitable<Status> TaskController::complete(std::string task_guid, TaskCompletion c) {
  const auto t = now();
  auto change =
      co_await write(task_guid, [&](const Task& task) { return decide_complete_task(task, c, t); });
  if (!change) co_return std::move(change).error();
  completed(*change);
  co_return Status{};
}

asio::awaitable<Status> TaskController::fail(std::string task_guid, std::string reason) {
  if (reason.empty()) co_return invalid_request({"Invalid field: failure_reason"});
  const auto t = now();
  auto change = co_await write(task_guid,
                               [&](const Task& task) { return decide_fail_task(task, reason, t); });
  if (!change) co_return std::move(change).error();
  completed(*change);
  co_return Status{};
}

asio::awaitable<Status> TaskController::reject(std::string task_guid, std::string reason) {
  if (reason.empty()) co_return invalid_request({"Invalid field: rejection_reason"});
  const auto t = now();
  auto change = co_await write(
      task_guid, [&](const Task& task) { return decide_reject_task(task, reason, t); });
  if (!change) co_return std::move(change).error();
  completed(*change);
  co_return Status{};
}

asio::awaitable<Status> TaskController::cancel(std::string task_guid) {
  const auto t = now();
  std::string cell;
  auto change = co_await write(task_guid, [&](const Task& task) {
    cell = task.cell_id;
    return decide_fail_task(task, std::string(kTaskCancelledReason), t);
  });
  if (!change) co_return std::move(change).error();
  if (!cell.empty()) d_.reps.cancel_task(cell, task_guid);
  completed(*change);
  co_return Status{};
}

asio::awaitable<Status> TaskController::resolving(std::string task_guid) {
  const auto t = now();
  auto change =
      co_await write(task_guid, [&](const Task& task) { return decide_resolving_task(task, t); });
  if (!change) co_return std::move(change).error();
  co_return Status{};
}

asio::awaitable<Status> TaskController::resolve(std::string task_guid) {
  auto change =
      co_await write(task_guid, [](const Task& task) { return decide_resolve_task(task); });
  if (!change) co_return std::move(change).error();
  co_return Status{};
}

asio::awaitable<Result<std::vector<Task>>> TaskController::list(TaskFilter filter) {
  co_return co_await d_.tasks.list(std::move(filter));
}

asio::awaitable<Result<Task>> TaskController::get(std::string task_guid) {
  co_return co_await d_.tasks.get(std::move(task_guid));
}

}  // namespace cupola::bbs
