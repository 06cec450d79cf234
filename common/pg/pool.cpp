#include "common/pg/pool.h"

#include <list>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/pg/connect.h"

namespace cupola::pg {
namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

namespace detail {

// Someone in acquire() waiting for a connection. A releaser either hands over a
// connection or, when it closed one, the right to open a new one; then wakes the waiter.
struct Waiter {
  Waiter(const asio::any_io_executor& ex, SteadyClock::time_point deadline) : timer(ex, deadline) {}
  asio::steady_timer timer;
  std::unique_ptr<Connection> conn;
  bool may_open = false;
};

struct PoolState {
  PoolState(asio::any_io_executor e, PoolOptions o, log::Logger l)
      : ex(std::move(e)), options(std::move(o)), log(std::move(l)) {}

  // A slot freed up: the first waiter may open a connection.
  void free_slot() {
    --open;
    if (waiters.empty()) return;
    auto w = waiters.front();
    waiters.pop_front();
    ++open;
    w->may_open = true;
    w->timer.cancel();
  }

  void give_back(std::unique_ptr<Connection> conn) {
    if (conn->broken() || conn->in_transaction()) {
      log.info("discard-connection", {{"broken", conn->broken()}});
      conn.reset();
      free_slot();
      return;
    }
    if (!waiters.empty()) {
      auto w = waiters.front();
      waiters.pop_front();
      w->conn = std::move(conn);
      w->timer.cancel();
      return;
    }
    idle.push_back(std::move(conn));
  }

  asio::any_io_executor ex;
  PoolOptions options;
  log::Logger log;
  std::vector<std::unique_ptr<Connection>> idle;
  std::size_t open = 0;
  std::list<std::shared_ptr<Waiter>> waiters;
};

}  // namespace detail

namespace {

// Opens a connection for a slot already counted in `open`.
asio::awaitable<Result<PooledConnection>> open_new(std::shared_ptr<detail::PoolState> state,
                                                   SteadyClock::time_point deadline) {
  ConnectOptions connect{state->options.conninfo, state->options.connect_timeout,
                         state->options.backoff};
  auto conn = co_await connect_with_retry(state->ex, connect, deadline, state->log);
  if (!conn) {
    state->free_slot();
    co_return std::move(conn).error();
  }
  co_return PooledConnection(state, std::move(conn).value());
}

asio::awaitable<Result<PooledConnection>> acquire_until(std::shared_ptr<detail::PoolState> state,
                                                        SteadyClock::time_point deadline) {
  while (!state->idle.empty()) {
    auto conn = std::move(state->idle.back());
    state->idle.pop_back();
    if (conn->check_alive()) co_return PooledConnection(state, std::move(conn));
    state->log.info("discard-dead-idle-connection");
    --state->open;
  }
  if (state->open < state->options.max_size) {
    ++state->open;
    co_return co_await open_new(state, deadline);
  }
  auto waiter = std::make_shared<detail::Waiter>(state->ex, deadline);
  state->waiters.push_back(waiter);
  auto [ec] = co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  if (waiter->conn) {
    if (waiter->conn->check_alive()) co_return PooledConnection(state, std::move(waiter->conn));
    // Dead on arrival: keep its slot and open a replacement.
    waiter->conn.reset();
    co_return co_await open_new(state, deadline);
  }
  if (waiter->may_open) co_return co_await open_new(state, deadline);
  state->waiters.remove(waiter);
  if (ec == asio::error::operation_aborted && SteadyClock::now() < deadline) {
    co_return make_error(Errc::Cancelled, "waiting for a postgres connection was cancelled");
  }
  auto waited =
      std::chrono::duration_cast<std::chrono::milliseconds>(state->options.acquire_timeout);
  co_return make_error(Errc::Timeout, "postgres pool of " +
                                          std::to_string(state->options.max_size) +
                                          " connections is exhausted: none was free within " +
                                          std::to_string(waited.count()) + "ms");
}

}  // namespace

PooledConnection::PooledConnection(std::shared_ptr<detail::PoolState> pool,
                                   std::unique_ptr<Connection> conn)
    : pool_(std::move(pool)), conn_(std::move(conn)) {}

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = std::move(other.pool_);
    conn_ = std::move(other.conn_);
  }
  return *this;
}

PooledConnection::~PooledConnection() { release(); }

void PooledConnection::release() {
  if (pool_ && conn_) pool_->give_back(std::move(conn_));
  pool_.reset();
  conn_.reset();
}

Pool::Pool(asio::any_io_executor ex, PoolOptions options, log::Logger log)
    : state_(std::make_shared<detail::PoolState>(std::move(ex), std::move(options),
                                                 log.session("pg-pool"))) {}

Pool::~Pool() = default;

asio::awaitable<Result<PooledConnection>> Pool::acquire() {
  return acquire_until(state_, SteadyClock::now() + state_->options.acquire_timeout);
}

asio::awaitable<Result<Rows>> Pool::query_params(std::string sql, Params params) {
  auto conn = co_await acquire();
  if (!conn) co_return std::move(conn).error();
  co_return co_await (*conn)->query_params(std::move(sql), std::move(params));
}

asio::awaitable<Status> Pool::wait_ready(std::chrono::milliseconds timeout) {
  auto conn = co_await acquire_until(state_, SteadyClock::now() + timeout);
  if (!conn) co_return std::move(conn).error();
  co_return Status{};
}

std::size_t Pool::size() const { return state_->open; }
std::size_t Pool::idle() const { return state_->idle.size(); }
std::size_t Pool::max_size() const { return state_->options.max_size; }

}  // namespace cupola::pg
