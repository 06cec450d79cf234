#include "common/pg/advisory_lock.h"

namespace cupola::pg {
namespace asio = boost::asio;

AdvisoryLock::AdvisoryLock(asio::any_io_executor ex, ConnectOptions connect, std::int64_t key,
                           log::Logger log)
    : ex_(std::move(ex)),
      connect_(std::move(connect)),
      key_(key),
      log_(log.session("pg-advisory-lock", {{"key", key}})) {}

AdvisoryLock::~AdvisoryLock() = default;

asio::awaitable<Result<bool>> AdvisoryLock::try_acquire() {
  if (held_ && conn_ && conn_->check_alive()) {
    // The lock lives as long as its session: a round trip proves the session still does
    // (a terminated backend or a restarted server shows up here, not only on the next
    // statement someone happens to run).
    auto alive = co_await conn_->query("SELECT 1");
    if (alive) co_return true;
    log_.error("lost", alive.error().message);
  }
  held_ = false;
  if (conn_ && !conn_->check_alive()) conn_.reset();
  if (!conn_) {
    auto deadline = std::chrono::steady_clock::now() + connect_.attempt_timeout;
    auto conn = co_await Connection::connect(ex_, connect_.conninfo, deadline);
    if (!conn) co_return std::move(conn).error();
    conn_ = std::move(conn).value();
  }
  auto rows = co_await conn_->query("SELECT pg_try_advisory_lock($1)", key_);
  if (!rows) {
    if (conn_->broken()) conn_.reset();
    co_return std::move(rows).error();
  }
  auto got = (*rows)[0].boolean(0);
  if (!got) co_return std::move(got).error();
  held_ = *got;
  if (held_) log_.info("acquired", {{"backend_pid", conn_->backend_pid()}});
  co_return held_;
}

asio::awaitable<Status> AdvisoryLock::release() {
  if (!held_) co_return Status{};
  held_ = false;
  Status status;
  if (conn_ && !conn_->broken()) {
    auto r = co_await conn_->query("SELECT pg_advisory_unlock($1)", key_);
    if (!r) status = std::move(r).error();
  }
  // Closing the session releases the lock even if the unlock statement failed.
  conn_.reset();
  log_.info("released");
  co_return status;
}

asio::awaitable<Error> AdvisoryLock::wait_lost() {
  if (!held_ || !conn_) co_return make_error(Errc::InvalidArgument, "advisory lock is not held");
  while (true) {
    Status s = co_await conn_->wait_for_input();
    if (s) continue;  // a notice or notification; the session is still there
    Error err = std::move(s).error();
    if (err.code == Errc::Cancelled) co_return err;
    held_ = false;
    conn_.reset();
    log_.error("lost", err.message);
    err.message = "advisory lock " + std::to_string(key_) + " lost: " + err.message;
    co_return err;
  }
}

}  // namespace cupola::pg
