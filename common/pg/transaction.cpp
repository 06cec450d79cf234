#include "common/pg/transaction.h"

namespace cupola::pg::detail {
namespace asio = boost::asio;

asio::awaitable<Status> begin(Connection& conn, Isolation isolation) {
  const char* sql = "BEGIN";
  switch (isolation) {
    case Isolation::ReadCommitted:
      break;
    case Isolation::RepeatableRead:
      sql = "BEGIN ISOLATION LEVEL REPEATABLE READ";
      break;
    case Isolation::Serializable:
      sql = "BEGIN ISOLATION LEVEL SERIALIZABLE";
      break;
  }
  auto r = co_await conn.query(sql);
  if (!r) co_return std::move(r).error();
  co_return Status{};
}

asio::awaitable<Status> commit(Connection& conn) {
  auto r = co_await conn.query("COMMIT");
  if (!r) co_return std::move(r).error();
  // COMMIT of a transaction in which a statement failed succeeds, but rolls back.
  if (r->command() == "ROLLBACK") {
    co_return make_error(Errc::Conflict,
                         "postgres: transaction rolled back at COMMIT: a statement in it failed");
  }
  co_return Status{};
}

asio::awaitable<void> rollback(Connection& conn) {
  if (conn.broken()) co_return;
  auto r = co_await conn.query("ROLLBACK");
  (void)r;
}

}  // namespace cupola::pg::detail
