#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/log/log.h"
#include "common/pg/backoff.h"
#include "common/pg/connection.h"

namespace cupola::pg {

struct PoolOptions {
  std::string conninfo;
  std::size_t max_size = 8;
  // How long acquire() waits for a free connection, including opening a new one.
  std::chrono::milliseconds acquire_timeout{5000};
  // Bound on one connection attempt; attempts repeat with backoff until acquire_timeout.
  std::chrono::milliseconds connect_timeout{5000};
  BackoffOptions backoff;
};

namespace detail {
struct PoolState;
}

// A connection lent by a Pool; returns to it when destroyed or released. A connection
// that is broken or still inside a transaction is closed instead of being reused.
// Move-only; destroy it on the pool's executor.
class PooledConnection {
 public:
  PooledConnection() = default;
  PooledConnection(std::shared_ptr<detail::PoolState> pool, std::unique_ptr<Connection> conn);
  PooledConnection(PooledConnection&&) noexcept = default;
  PooledConnection& operator=(PooledConnection&& other) noexcept;
  ~PooledConnection();

  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }
  // Gives the connection back now; the handle is empty afterwards.
  void release();

 private:
  std::shared_ptr<detail::PoolState> pool_;
  std::unique_ptr<Connection> conn_;
};

// At most max_size connections to one database, opened on demand. All calls, and the
// destruction of every PooledConnection, happen on `ex` (a single-threaded io_context).
// Handles may outlive the Pool object.
class Pool {
 public:
  Pool(boost::asio::any_io_executor ex, PoolOptions options, log::Logger log);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // An idle connection, a new one while fewer than max_size are open, or the first one
  // given back within acquire_timeout. When none frees up in time: Errc::Timeout with
  // "postgres pool of N connections is exhausted ...". When a new connection cannot be
  // opened in time: the connection error (Errc::Unavailable or Errc::Timeout).
  // Connections that died while idle (a server restart) are replaced transparently.
  boost::asio::awaitable<Result<PooledConnection>> acquire();

  // Acquires, runs one statement (see Connection::query), gives the connection back.
  template <class... Args>
  boost::asio::awaitable<Result<Rows>> query(std::string sql, Args&&... args) {
    return query_params(std::move(sql), Params{Param(std::forward<Args>(args))...});
  }
  boost::asio::awaitable<Result<Rows>> query_params(std::string sql, Params params);

  // Waits up to `timeout` for the database to accept a connection (retrying with
  // backoff): for components that start before Postgres does.
  boost::asio::awaitable<Status> wait_ready(std::chrono::milliseconds timeout);

  // Connections open or being opened, and those idle among them.
  std::size_t size() const;
  std::size_t idle() const;
  std::size_t max_size() const;

 private:
  std::shared_ptr<detail::PoolState> state_;
};

}  // namespace cupola::pg
