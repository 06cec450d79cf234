#include "service_broker/src/operation_runner.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola::pg_broker {
namespace asio = boost::asio;

OperationRunner::OperationRunner(asio::any_io_executor ex, Broker& broker, log::Logger log)
    : broker_(broker), log_(std::move(log)), stopped_(ex, asio::steady_timer::time_point::max()) {}

asio::awaitable<void> OperationRunner::start() {
  // A failed recovery is not fatal: what was not resumed stays recorded for the next start.
  if (auto s = co_await broker_.recover(); !s) log_.error("recover-failed", s.error().message);
  if (broker_.running() > 0) {
    log_.info("resumed", {{"operations", static_cast<std::int64_t>(broker_.running())}});
  }
}

asio::awaitable<void> OperationRunner::run() {
  while (!stopping_) {
    co_await stopped_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_await broker_.wait_idle();
}

void OperationRunner::stop() {
  stopping_ = true;
  stopped_.cancel();
}

}  // namespace cupola::pg_broker
