#pragma once

#include <map>

#include "bbs/src/db/task_db.h"
#include "test/bbs/fakes/call_log.h"

namespace cupola::bbs::fakes {

// TaskDb in a map, ordered by task_guid, with the Postgres store's semantics: a change is
// stored with the task's tag index + 1 and its guid kept.
class FakeTaskDb final : public TaskDb, public CallLog {
 public:
  // TaskDb
  boost::asio::awaitable<Result<std::vector<Task>>> list(TaskFilter filter) override;
  boost::asio::awaitable<Result<Task>> get(std::string task_guid) override;
  boost::asio::awaitable<Status> desire(Task task) override;
  boost::asio::awaitable<Result<TaskChange>> mutate(
      std::string task_guid, std::function<Result<TaskWrite>(const Task&)> decide) override;

  // Stores a task as is (a test's setup); records no call.
  void put(Task task);
  // Every task, in list order.
  std::vector<Task> tasks() const;

  std::vector<TaskFilter> list_calls;
  std::vector<std::string> get_calls;
  std::vector<Task> desire_calls;
  std::vector<std::string> mutate_calls;

 private:
  std::map<std::string, Task> tasks_;
};

}  // namespace cupola::bbs::fakes
