#include "common/pg/connect.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/pg/conninfo.h"

namespace cupola::pg {
namespace asio = boost::asio;

asio::awaitable<Result<std::unique_ptr<Connection>>> connect_with_retry(
    asio::any_io_executor ex, ConnectOptions options, Connection::Deadline deadline,
    log::Logger log) {
  using Clock = std::chrono::steady_clock;
  Backoff backoff(options.backoff);
  std::string target = safe_conninfo(options.conninfo);
  for (int attempt = 1;; ++attempt) {
    auto now = Clock::now();
    auto attempt_deadline =
        deadline - now > options.attempt_timeout ? now + options.attempt_timeout : deadline;
    auto conn = co_await Connection::connect(ex, options.conninfo, attempt_deadline);
    if (conn) {
      if (attempt > 1) log.info("connected", {{"server", target}, {"attempts", attempt}});
      co_return conn;
    }
    auto delay = backoff.next();
    log.info("connect-failed", {{"server", target},
                                {"attempt", attempt},
                                {"error", conn.error().message},
                                {"retry_in_ms", static_cast<std::int64_t>(delay.count())}});
    if (Clock::now() + delay >= deadline) {
      Error err = std::move(conn).error();
      err.message = "gave up connecting to postgres after " + std::to_string(attempt) +
                    " attempts: " + err.message;
      co_return err;
    }
    asio::steady_timer timer(ex, delay);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return make_error(Errc::Cancelled, "connecting to postgres was cancelled");
  }
}

}  // namespace cupola::pg
