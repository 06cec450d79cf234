#pragma once

#include <cstdint>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/log/log.h"
#include "common/pg/connect.h"
#include "common/pg/connection.h"

namespace cupola::pg {

// A session-level advisory lock (pg_try_advisory_lock) on a dedicated connection, for
// leader election. The server releases it when that connection ends, so losing the
// connection means losing the lock: wait_lost() reports it. Silent network failures are
// noticed only as fast as TCP keepalives allow (set keepalives_idle in the conninfo).
// All calls on `ex` (single-threaded io_context), one at a time.
class AdvisoryLock {
 public:
  AdvisoryLock(boost::asio::any_io_executor ex, ConnectOptions connect, std::int64_t key,
               log::Logger log);
  ~AdvisoryLock();

  // Connects if needed (one attempt) and tries to take the lock without waiting. True
  // when we hold it (also when we already did, after a round trip proving the session
  // lives), false when another session does.
  boost::asio::awaitable<Result<bool>> try_acquire();

  // Whether we hold the lock as far as we know: true after a successful try_acquire()
  // until release() or until wait_lost() saw the connection end.
  bool held() const { return held_; }

  // Gives the lock up and closes the connection. A no-op when not held.
  boost::asio::awaitable<Status> release();

  // While held: completes when the lock is lost (the connection ended or was
  // terminated), with the reason; held() is false afterwards. Cancelling the wait keeps
  // the lock. When not held: Errc::InvalidArgument at once.
  boost::asio::awaitable<Error> wait_lost();

  // The server process of the lock's connection, 0 without one.
  int backend_pid() const { return conn_ ? conn_->backend_pid() : 0; }
  std::int64_t key() const { return key_; }

 private:
  boost::asio::any_io_executor ex_;
  ConnectOptions connect_;
  std::int64_t key_;
  log::Logger log_;
  std::unique_ptr<Connection> conn_;
  bool held_ = false;
};

}  // namespace cupola::pg
