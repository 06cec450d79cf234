#include <catch2/catch.hpp>

#include <optional>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/testing/postgres/postgres_server.h"
#include "test/bbs/db/fixtures.h"
#include "test/bbs/db/pg_backend.h"

using namespace cupola;
using namespace cupola::bbs;
using namespace cupola::bbs::contract;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

using Outcome = std::optional<Result<TaskChange>>;

// Pending → Running on `cell_id`, refused from any other state.
std::function<Result<TaskWrite>(const Task&)> start_on(std::string cell_id) {
  return [cell_id](const Task& t) -> Result<TaskWrite> {
    if (!task_transition_allowed(t.state, TaskState::Running)) {
      return bbs_error(ErrorType::InvalidStateTransition, "task is not pending");
    }
    auto next = t;
    next.state = TaskState::Running;
    next.cell_id = cell_id;
    return TaskWrite{next, false};
  };
}

// Sessions of this database that wait for a lock.
asio::awaitable<std::int64_t> lock_waiters(pg::Pool& pool) {
  auto r = co_await pool.query(
      "SELECT count(*) FROM pg_stat_activity "
      "WHERE datname = current_database() AND wait_event_type = 'Lock'");
  co_return r ? *(*r)[0].int64(0) : -1;
}

}  // namespace

TEST_CASE("PgTaskDb starts a task once when two starts race", "[integration]") {
  auto& server = testing::PostgresServer::shared();
  PgBackend b(server.conninfo(server.fresh_database("race")), {.max_size = 4});
  REQUIRE(b.run(b.tasks().desire(task("t"))));

  // A third transaction holds the task's row, so that both starts are in flight on their
  // own connections and queue on the same lock before either can decide.
  auto holder = b.run(b.pool().acquire());
  REQUIRE(holder);
  REQUIRE(b.run((*holder)->query("BEGIN")));
  REQUIRE(b.run((*holder)->query("SELECT 1 FROM tasks WHERE task_guid = $1 FOR UPDATE", "t")));

  Outcome first;
  Outcome second;
  std::int64_t waiting = 0;
  bool committed = false;
  auto start = [&b](std::string cell_id, Outcome& out) -> asio::awaitable<void> {
    out = co_await b.tasks().mutate("t", start_on(std::move(cell_id)));
  };
  auto let_go = [&]() -> asio::awaitable<void> {
    asio::steady_timer timer(b.io());
    while ((waiting = co_await lock_waiters(b.pool())) < 2) {
      timer.expires_after(10ms);
      co_await timer.async_wait(asio::use_awaitable);
    }
    committed = (co_await (*holder)->query("COMMIT")).ok();
  };
  auto race = [&]() -> asio::awaitable<bool> {
    co_await (start("cell-1", first) && start("cell-2", second) && let_go());
    co_return true;
  };
  REQUIRE(b.run(race()));

  CHECK(waiting == 2);
  CHECK(committed);
  REQUIRE(first);
  REQUIRE(second);
  const bool first_won = first->ok();
  CHECK(first->ok() != second->ok());
  const auto& winner = first_won ? *first : *second;
  const auto& loser = first_won ? *second : *first;
  REQUIRE(winner);
  CHECK(type_of(loser) == ErrorType::InvalidStateTransition);
  auto stored = b.run(b.tasks().get("t"));
  REQUIRE(stored);
  CHECK(stored->state == TaskState::Running);
  CHECK(stored->cell_id == (first_won ? "cell-1" : "cell-2"));
  CHECK(stored->modification_tag.index == 1);
  CHECK(*stored == *winner->after);
}
