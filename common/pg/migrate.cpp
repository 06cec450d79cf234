#include "common/pg/migrate.h"

#include <algorithm>
#include <set>

#include "common/pg/transaction.h"

namespace cupola::pg {
namespace asio = boost::asio;

namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version bigint PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

asio::awaitable<Status> apply_one(Connection& conn, const Migration& m) {
  if (auto s = co_await detail::begin(conn, Isolation::ReadCommitted); !s) co_return s;
  Status applied = co_await conn.execute_script(m.sql);
  if (applied) {
    auto r = co_await conn.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                 m.version, m.name);
    if (!r) applied = std::move(r).error();
  }
  if (applied) applied = co_await detail::commit(conn);
  if (!applied) {
    co_await detail::rollback(conn);
    Error err = std::move(applied).error();
    err.message =
        "migration " + std::to_string(m.version) + " (" + m.name + ") failed: " + err.message;
    co_return err;
  }
  co_return Status{};
}

asio::awaitable<Result<std::vector<std::int64_t>>> apply_pending(Connection& conn,
                                                                 std::vector<Migration> migrations,
                                                                 const log::Logger& log) {
  if (auto s = co_await conn.execute_script(kCreateTable); !s) co_return std::move(s).error();
  auto rows = co_await conn.query("SELECT version FROM schema_migrations");
  if (!rows) co_return std::move(rows).error();
  std::set<std::int64_t> done;
  for (auto row : *rows) {
    auto v = row.int64(0);
    if (!v) co_return std::move(v).error();
    done.insert(*v);
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  std::vector<std::int64_t> applied;
  for (const auto& m : migrations) {
    if (done.contains(m.version)) continue;
    if (auto s = co_await apply_one(conn, m); !s) co_return std::move(s).error();
    log.info("applied", {{"version", m.version}, {"name", m.name}});
    applied.push_back(m.version);
  }
  co_return applied;
}

}  // namespace

Status validate_migrations(const std::vector<Migration>& migrations) {
  std::vector<std::string> problems;
  std::set<std::int64_t> seen;
  for (const auto& m : migrations) {
    std::string label = "migration " + std::to_string(m.version);
    if (m.version <= 0) problems.push_back(label + ": version must be positive");
    if (!seen.insert(m.version).second) problems.push_back(label + ": duplicate version");
    if (m.name.empty()) problems.push_back(label + ": name is empty");
    if (m.sql.empty()) problems.push_back(label + ": sql is empty");
  }
  if (problems.empty()) return Status{};
  std::string message = "invalid migrations: ";
  for (std::size_t i = 0; i < problems.size(); ++i) {
    message += (i ? "; " : "") + problems[i];
  }
  return make_error(Errc::InvalidArgument, message);
}

asio::awaitable<Result<std::vector<std::int64_t>>> migrate(Pool& pool,
                                                           std::vector<Migration> migrations,
                                                           log::Logger log) {
  auto mlog = log.session("migrate");
  if (auto valid = validate_migrations(migrations); !valid) co_return std::move(valid).error();
  auto conn = co_await pool.acquire();
  if (!conn) co_return std::move(conn).error();
  // A session lock: held across the per-migration transactions, and released by the
  // server if this connection dies.
  if (auto locked = co_await (*conn)->query("SELECT pg_advisory_lock($1)", kMigrationLockKey);
      !locked) {
    co_return std::move(locked).error();
  }
  auto result = co_await apply_pending(**conn, std::move(migrations), mlog);
  if (!(*conn)->broken()) {
    auto unlocked = co_await (*conn)->query("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    if (!unlocked) mlog.error("unlock-failed", unlocked.error().message);
  }
  if (!result) {
    mlog.error("failed", result.error().message);
  } else {
    mlog.info("done", {{"applied", static_cast<std::int64_t>(result->size())}});
  }
  co_return result;
}

}  // namespace cupola::pg
