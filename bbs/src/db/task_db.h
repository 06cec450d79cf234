#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bbs/api/models/task.h"
#include "common/core/result.h"

namespace cupola::bbs {

struct TaskFilter {
  std::optional<std::string> domain;
  std::optional<std::string> cell_id;
  std::optional<TaskState> state;
};

// What a task decision wants: the new record, or the task's deletion.
struct TaskWrite {
  std::optional<Task> after;  // nullopt with remove=false: write nothing
  bool remove = false;
};

// What a task write did: `after` is empty when the task was deleted or left alone.
struct TaskChange {
  Task before;
  std::optional<Task> after;
  bool removed = false;
};

// Tasks by task_guid. All calls run on the BBS's executor.
class TaskDb {
 public:
  virtual ~TaskDb() = default;

  virtual boost::asio::awaitable<Result<std::vector<Task>>> list(TaskFilter filter) = 0;
  // ResourceNotFound when there is none.
  virtual boost::asio::awaitable<Result<Task>> get(std::string task_guid) = 0;
  // ResourceExists when the guid is taken.
  virtual boost::asio::awaitable<Status> desire(Task task) = 0;

  // Under a row lock, runs `decide` on the task and writes its answer (the stored tag's
  // index goes up by one on a change). This row lock is what makes a task start at most
  // once. ResourceNotFound when there is none; `decide`'s error is returned as is.
  virtual boost::asio::awaitable<Result<TaskChange>> mutate(
      std::string task_guid, std::function<Result<TaskWrite>(const Task&)> decide) = 0;
};

}  // namespace cupola::bbs
