#include "common/pg/listener.h"

#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/pg/conninfo.h"

namespace cupola::pg {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Racing with || needs default-constructible results; Result<T> is not.
template <class T>
asio::awaitable<std::optional<T>> as_optional(asio::awaitable<T> op) {
  co_return co_await std::move(op);
}

}  // namespace

Listener::Listener(asio::any_io_executor ex, ListenerOptions options, log::Logger log,
                   NotificationHandler on_notification, ListeningHandler on_listening)
    : ex_(ex),
      options_(std::move(options)),
      log_(log.session("pg-listener")),
      on_notification_(std::move(on_notification)),
      on_listening_(std::move(on_listening)),
      stopped_(ex, asio::steady_timer::time_point::max()),
      changed_(ex, asio::steady_timer::time_point::max()) {
  for (const auto& c : options_.channels) {
    if (!is_valid_channel_name(c)) {
      throw std::invalid_argument("invalid postgres channel name '" + c + "'");
    }
  }
}

asio::awaitable<void> Listener::run() {
  Backoff backoff(options_.connect.backoff);
  while (!stopping_) {
    auto connected = co_await (
        as_optional(connect_with_retry(ex_, options_.connect, Connection::Deadline::max(), log_)) ||
        stopped_.async_wait(kTuple));
    if (stopping_ || connected.index() == 1) break;
    auto conn = std::move(*std::get<0>(connected));
    Status status = conn ? Status{} : Status(std::move(conn).error());
    if (status) {
      conn_ = std::move(conn).value();
      status = co_await listen(*conn_);
      if (status) {
        backoff.reset();
        bump_generation();
        log_.info("listening", {{"generation", static_cast<std::int64_t>(generation_)}});
        if (on_listening_) on_listening_();
        status = co_await receive(*conn_);
      }
      conn_.reset();
    }
    if (stopping_) break;
    if (!status) log_.error("connection-lost", status.error().message);
    asio::steady_timer pause(ex_, backoff.next());
    co_await (pause.async_wait(kTuple) || stopped_.async_wait(kTuple));
  }
  log_.info("stopped");
}

void Listener::stop() {
  stopping_ = true;
  stopped_.cancel();
}

asio::awaitable<Status> Listener::listen(Connection& conn) {
  for (const auto& channel : options_.channels) {
    // Identifiers cannot be parameters; the constructor allowed only names that need
    // no quoting.
    auto r = co_await conn.query("LISTEN " + channel);
    if (!r) co_return std::move(r).error();
  }
  co_return Status{};
}

asio::awaitable<Status> Listener::receive(Connection& conn) {
  while (!stopping_) {
    deliver(conn);
    auto r = co_await (conn.wait_for_input() || stopped_.async_wait(kTuple));
    if (r.index() == 1) break;
    Status s = std::get<0>(std::move(r));
    if (!s) co_return s;
  }
  co_return Status{};
}

void Listener::deliver(Connection& conn) {
  for (const auto& n : conn.take_notifications()) {
    if (on_notification_) on_notification_(n);
  }
}

void Listener::bump_generation() {
  ++generation_;
  changed_.cancel();
}

asio::awaitable<Status> Listener::wait_for_generation(std::uint64_t generation,
                                                      std::chrono::milliseconds timeout) {
  asio::steady_timer deadline(ex_, timeout);
  while (generation_ < generation) {
    // changed_ never expires: its wait ends only when the generation moves.
    auto r = co_await (changed_.async_wait(kTuple) || deadline.async_wait(kTuple));
    if (r.index() == 1) {
      co_return make_error(Errc::Timeout, "postgres listener did not reach generation " +
                                              std::to_string(generation) + " in time");
    }
  }
  co_return Status{};
}

int Listener::backend_pid() const { return conn_ ? conn_->backend_pid() : 0; }

}  // namespace cupola::pg
