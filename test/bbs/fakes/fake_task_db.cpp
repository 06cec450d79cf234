#include "test/bbs/fakes/fake_task_db.h"

#include "bbs/api/models/errors.h"

namespace cupola::bbs::fakes {
namespace asio = boost::asio;

namespace {

Error not_found(const std::string& task_guid) {
  return bbs_error(ErrorType::ResourceNotFound, "task " + task_guid + " not found");
}

bool matches(const TaskFilter& f, const Task& t) {
  if (f.domain && t.domain != *f.domain) return false;
  if (f.cell_id && t.cell_id != *f.cell_id) return false;
  if (f.state && t.state != *f.state) return false;
  return true;
}

}  // namespace

asio::awaitable<Result<std::vector<Task>>> FakeTaskDb::list(TaskFilter filter) {
  list_calls.push_back(filter);
  if (auto e = enter("list")) co_return std::move(*e);
  std::vector<Task> out;
  for (const auto& [guid, task] : tasks_) {
    if (matches(filter, task)) out.push_back(task);
  }
  co_return out;
}

asio::awaitable<Result<Task>> FakeTaskDb::get(std::string task_guid) {
  get_calls.push_back(task_guid);
  if (auto e = enter("get")) co_return std::move(*e);
  auto it = tasks_.find(task_guid);
  if (it == tasks_.end()) co_return not_found(task_guid);
  co_return it->second;
}

asio::awaitable<Status> FakeTaskDb::desire(Task task) {
  desire_calls.push_back(task);
  if (auto e = enter("desire")) co_return std::move(*e);
  if (tasks_.contains(task.task_guid)) {
    co_return bbs_error(ErrorType::ResourceExists, "task " + task.task_guid + " already exists");
  }
  auto guid = task.task_guid;
  tasks_.emplace(std::move(guid), std::move(task));
  co_return Status{};
}

asio::awaitable<Result<TaskChange>> FakeTaskDb::mutate(
    std::string task_guid, std::function<Result<TaskWrite>(const Task&)> decide) {
  mutate_calls.push_back(task_guid);
  if (auto e = enter("mutate")) co_return std::move(*e);
  auto it = tasks_.find(task_guid);
  if (it == tasks_.end()) co_return not_found(task_guid);
  auto write = decide(it->second);
  if (!write) co_return std::move(write).error();
  TaskChange change{it->second, std::nullopt, false};
  if (write->remove) {
    tasks_.erase(it);
    change.removed = true;
  } else if (write->after) {
    Task after = std::move(*write->after);
    after.task_guid = task_guid;
    after.modification_tag = it->second.modification_tag.incremented();
    it->second = after;
    change.after = std::move(after);
  }
  co_return change;
}

void FakeTaskDb::put(Task task) {
  auto guid = task.task_guid;
  tasks_[guid] = std::move(task);
}

std::vector<Task> FakeTaskDb::tasks() const {
  std::vector<Task> out;
  for (const auto& [guid, task] : tasks_) out.push_back(task);
  return out;
}

}  // namespace cupola::bbs::fakes
