#pragma once

#include <type_traits>
#include <utility>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/log/log.h"
#include "common/pg/connection.h"
#include "common/pg/error.h"
#include "common/pg/pool.h"

namespace cupola::pg {

enum class Isolation { ReadCommitted, RepeatableRead, Serializable };

struct TransactionOptions {
  Isolation isolation = Isolation::ReadCommitted;
  // Runs of the whole function, counting the first. Only serialization failures (40001)
  // and deadlocks (40P01) are retried.
  int max_attempts = 5;
};

namespace detail {
boost::asio::awaitable<Status> begin(Connection& conn, Isolation isolation);
boost::asio::awaitable<Status> commit(Connection& conn);
// Best effort: a connection that cannot roll back is left broken and the pool closes it.
boost::asio::awaitable<void> rollback(Connection& conn);
}  // namespace detail

// Runs `fn(Connection&) -> awaitable<Result<T>>` inside BEGIN ... COMMIT on a pooled
// connection. An error from `fn` (or from COMMIT) rolls back; when that error is a
// serialization failure or deadlock and attempts remain, the whole function runs again
// on a fresh transaction, so `fn` must have no effects outside the database. Returns
// `fn`'s result, or the error that ended the last attempt. `fn` is copied once and
// invoked as an lvalue on every attempt; it must not keep the Connection& beyond its run.
template <class F>
auto transaction(Pool& pool, F fn, TransactionOptions options = {})
    -> std::invoke_result_t<F&, Connection&> {
  using R = typename std::invoke_result_t<F&, Connection&>::value_type;
  for (int attempt = 1;; ++attempt) {
    auto conn = co_await pool.acquire();
    if (!conn) co_return std::move(conn).error();
    if (auto begun = co_await detail::begin(**conn, options.isolation); !begun) {
      co_return std::move(begun).error();
    }
    R result = co_await fn(**conn);
    Status done;
    if (result) {
      done = co_await detail::commit(**conn);
      if (done) co_return result;
    } else {
      co_await detail::rollback(**conn);
    }
    Error error = result ? std::move(done).error() : result.error();
    if (attempt >= options.max_attempts || !is_retryable_transaction_error(error)) {
      if (!result) co_return result;
      co_return error;
    }
  }
}

}  // namespace cupola::pg
