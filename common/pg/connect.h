#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/log/log.h"
#include "common/pg/backoff.h"
#include "common/pg/connection.h"

namespace cupola::pg {

struct ConnectOptions {
  std::string conninfo;
  // Bound on a single attempt.
  std::chrono::milliseconds attempt_timeout{5000};
  BackoffOptions backoff;
};

// Connects, retrying with backoff until `deadline` (Connection::Deadline::max(): until it
// succeeds or the coroutine is cancelled), so a component may start before Postgres is
// up. Logs each failed attempt as "<prefix>.connect-failed" with the server (never the
// password). Fails with the last attempt's error once the deadline has passed.
boost::asio::awaitable<Result<std::unique_ptr<Connection>>> connect_with_retry(
    boost::asio::any_io_executor ex, ConnectOptions options, Connection::Deadline deadline,
    log::Logger log);

}  // namespace cupola::pg
