#include "bbs/src/db/pg/task_db.h"

#include "bbs/api/codec/codec.h"
#include "bbs/api/models/errors.h"
#include "bbs/src/db/pg/actual_lrp_rows.h"
#include "bbs/src/db/pg/row_reader.h"
#include "common/pg/transaction.h"

namespace cupola::bbs {
namespace asio = boost::asio;

namespace {

constexpr const char* kColumns =
    "task_guid, domain, state, cell_id, created_at, updated_at, first_completed_at, "
    "modification_tag_epoch, modification_tag_index, task_definition, result, failed, "
    "failure_reason, rejection_count, rejection_reason";

constexpr const char* kInsert =
    "INSERT INTO tasks (task_guid, domain, state, cell_id, created_at, updated_at, "
    "first_completed_at, modification_tag_epoch, modification_tag_index, task_definition, "
    "result, failed, failure_reason, rejection_count, rejection_reason) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

constexpr const char* kUpdate =
    "UPDATE tasks SET domain = $2, state = $3, cell_id = $4, created_at = $5, updated_at = $6, "
    "first_completed_at = $7, modification_tag_epoch = $8, modification_tag_index = $9, "
    "task_definition = $10, result = $11, failed = $12, failure_reason = $13, "
    "rejection_count = $14, rejection_reason = $15 WHERE task_guid = $1";

pg::Params row_params(const Task& t) {
  return pg::Params{
      t.task_guid,
      t.domain,
      to_string(t.state),
      t.cell_id,
      t.created_at,
      t.updated_at,
      t.first_completed_at,
      t.modification_tag.epoch,
      t.modification_tag.index,
      to_json(t.definition),
      t.result,
      t.failed,
      t.failure_reason,
      t.rejection_count,
      t.rejection_reason,
  };
}

Result<Task> read_task(const pg::Row& row) {
  pg_rows::RowReader r(row);
  Task t;
  t.task_guid = r.text(0);
  t.domain = r.text(1);
  auto state = r.text(2);
  if (auto s = parse_task_state(state)) {
    t.state = *s;
  } else {
    r.fail(make_error(Errc::InvalidArgument, "unknown state \"" + state + "\""));
  }
  t.cell_id = r.text(3);
  t.created_at = r.int64(4);
  t.updated_at = r.int64(5);
  t.first_completed_at = r.int64(6);
  t.modification_tag.epoch = r.text(7);
  t.modification_tag.index = static_cast<std::uint32_t>(r.int64(8));
  if (auto def = from_json<TaskDefinition>(r.text(9), "task_definition")) {
    t.definition = std::move(def).value();
  } else {
    r.fail(std::move(def).error());
  }
  t.result = r.text(10);
  t.failed = r.boolean(11);
  t.failure_reason = r.text(12);
  t.rejection_count = static_cast<std::int32_t>(r.int64(13));
  t.rejection_reason = r.text(14);
  if (r.error()) return pg_rows::record_error(*r.error(), "task " + t.task_guid);
  return t;
}

Result<std::vector<Task>> read_all(const pg::Rows& rows) {
  std::vector<Task> out;
  out.reserve(rows.size());
  for (auto row : rows) {
    auto t = read_task(row);
    if (!t) return std::move(t).error();
    out.push_back(std::move(t).value());
  }
  return out;
}

Error not_found(const std::string& task_guid) {
  return bbs_error(ErrorType::ResourceNotFound, "task " + task_guid + " not found");
}

}  // namespace

asio::awaitable<Result<std::vector<Task>>> PgTaskDb::list(TaskFilter filter) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM tasks WHERE true";
  pg::Params params;
  auto add = [&](const char* column, std::string value) {
    params.emplace_back(std::move(value));
    sql += std::string(" AND ") + column + " = $" + std::to_string(params.size());
  };
  if (filter.domain) add("domain", *filter.domain);
  if (filter.cell_id) add("cell_id", *filter.cell_id);
  if (filter.state) add("state", std::string(to_string(*filter.state)));
  sql += " ORDER BY task_guid";
  auto rows = co_await pool_.query_params(std::move(sql), std::move(params));
  if (!rows) co_return std::move(rows).error();
  co_return read_all(*rows);
}

asio::awaitable<Result<Task>> PgTaskDb::get(std::string task_guid) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM tasks WHERE task_guid = $1";
  auto rows = co_await pool_.query(std::move(sql), task_guid);
  if (!rows) co_return std::move(rows).error();
  if (rows->empty()) co_return not_found(task_guid);
  co_return read_task((*rows)[0]);
}

asio::awaitable<Status> PgTaskDb::desire(Task task) {
  auto params = row_params(task);
  auto r = co_await pool_.query_params(kInsert, std::move(params));
  if (!r) co_return pg_rows::write_error(std::move(r).error(), "task " + task.task_guid);
  co_return Status{};
}

asio::awaitable<Result<TaskChange>> PgTaskDb::mutate(
    std::string task_guid, std::function<Result<TaskWrite>(const Task&)> decide) {
  const std::string select =
      std::string("SELECT ") + kColumns + " FROM tasks WHERE task_guid = $1 FOR UPDATE";
  co_return co_await pg::transaction(
      pool_, [&](pg::Connection& conn) -> asio::awaitable<Result<TaskChange>> {
        auto rows = co_await conn.query(select, task_guid);
        if (!rows) co_return std::move(rows).error();
        if (rows->empty()) co_return not_found(task_guid);
        auto before = read_task((*rows)[0]);
        if (!before) co_return std::move(before).error();
        auto write = decide(*before);
        if (!write) co_return std::move(write).error();
        TaskChange change{std::move(before).value(), std::nullopt, false};
        if (write->remove) {
          auto r = co_await conn.query("DELETE FROM tasks WHERE task_guid = $1", task_guid);
          if (!r) co_return std::move(r).error();
          change.removed = true;
        } else if (write->after) {
          Task after = std::move(*write->after);
          after.task_guid = change.before.task_guid;
          after.modification_tag = change.before.modification_tag.incremented();
          auto params = row_params(after);
          auto r = co_await conn.query_params(kUpdate, std::move(params));
          if (!r) co_return std::move(r).error();
          change.after = std::move(after);
        }
        co_return change;
      });
}

}  // namespace cupola::bbs
