#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "common/core/result.h"
#include "common/pg/params.h"
#include "common/pg/rows.h"

struct pg_conn;

namespace cupola::pg {

struct Notification {
  std::string channel;
  std::string payload;
  int backend_pid = 0;  // the sender's server process
};

// One libpq connection in non-blocking mode; its socket waits on the executor's reactor,
// so no call blocks the io_context. Not thread-safe: use it on the executor it was
// connected with (a single-threaded io_context), from one coroutine at a time.
//
// Errors: statements the server rejects fail with a pg_category code carrying the
// SQLSTATE (see error.h); a lost connection fails with Errc::Unavailable and marks the
// connection broken() for good. A query abandoned half way (its coroutine cancelled) also
// leaves the connection broken, since the protocol state is unknown.
class Connection {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  // One connection attempt that gives up at `deadline` (Errc::Timeout). A refused or
  // failed attempt is Errc::Unavailable. The message names the server but never the
  // password.
  static boost::asio::awaitable<Result<std::unique_ptr<Connection>>> connect(
      boost::asio::any_io_executor ex, std::string conninfo, Deadline deadline);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with parameters $1, $2, ... sent separately in text format:
  // co_await conn.query("SELECT name FROM t WHERE id = $1 AND n > $2", id, 3).
  // Each argument converts to a Param (strings, integers, bools, optionals, nullopt).
  template <class... Args>
  boost::asio::awaitable<Result<Rows>> query(std::string sql, Args&&... args) {
    // Built here, outside any coroutine: GCC 12 miscompiles braced lists inside co_await.
    return query_params(std::move(sql), Params{Param(std::forward<Args>(args))...});
  }
  boost::asio::awaitable<Result<Rows>> query_params(std::string sql, Params params);

  // Runs a script of several statements and no parameters (schema migrations). Fails
  // with the first statement's error; the script stops there.
  boost::asio::awaitable<Status> execute_script(std::string sql);

  // Waits until the server sends something (a notification, or the connection closing)
  // and reads it. Notifications are then available from take_notifications().
  // Errc::Cancelled when the wait is cancelled (the connection stays usable);
  // Errc::Unavailable when the connection is lost.
  boost::asio::awaitable<Status> wait_for_input();

  // Notifications received so far, oldest first.
  std::vector<Notification> take_notifications();

  // Reads whatever the server sent while the connection sat idle, without waiting, and
  // reports whether it is still usable (false once the server closed it).
  bool check_alive();

  bool broken() const { return broken_; }
  // True when a transaction is open (or the state is unknown): not fit to hand to another
  // user as is.
  bool in_transaction() const;
  int backend_pid() const;
  boost::asio::any_io_executor get_executor() { return socket_.get_executor(); }

 private:
  Connection(boost::asio::any_io_executor ex, pg_conn* conn);
  void assign_socket();
  boost::asio::awaitable<boost::system::error_code> wait(
      boost::asio::posix::stream_descriptor::wait_type type, Deadline deadline);
  boost::asio::awaitable<Result<Rows>> collect();
  Error lost(std::string_view what);
  void drain_notifications();

  pg_conn* conn_;
  boost::asio::posix::stream_descriptor socket_;
  std::deque<Notification> notifications_;
  bool broken_ = false;
  bool busy_ = false;
};

}  // namespace cupola::pg
