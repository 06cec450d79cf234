#pragma once

#include "bbs/src/db/task_db.h"
#include "common/pg/pool.h"

namespace cupola::bbs {

// TaskDb on the tasks table. `pool` must outlive this object; calls run on the pool's
// executor.
class PgTaskDb final : public TaskDb {
 public:
  explicit PgTaskDb(pg::Pool& pool) : pool_(pool) {}

  // TaskDb
  boost::asio::awaitable<Result<std::vector<Task>>> list(TaskFilter filter) override;
  boost::asio::awaitable<Result<Task>> get(std::string task_guid) override;
  boost::asio::awaitable<Status> desire(Task task) override;
  boost::asio::awaitable<Result<TaskChange>> mutate(
      std::string task_guid, std::function<Result<TaskWrite>(const Task&)> decide) override;

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::bbs
