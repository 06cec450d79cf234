#pragma once

// Small pieces the steps share for waiting on their one executor.

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/asio/run_blocking.h"
#include "common/core/result.h"
#include "common/service/wakeup.h"
#include "diego/executor/steps/step.h"

namespace cupola::executor {

using cupola::Wakeup;

// Starts `step.perform()` on `executor` and calls `done` there with its result (an escaped
// exception becomes an Internal error). `step` must outlive it.
inline void start_step(const boost::asio::any_io_executor& executor, Step& step,
                       std::function<void(Status)> done) {
  boost::asio::co_spawn(
      executor, step.perform(), [done = std::move(done)](std::exception_ptr e, Status status) {
        if (e) {
          status = make_error(make_error_code(Errc::Internal), "step failed unexpectedly");
        }
        done(std::move(status));
      });
}

using cupola::run_blocking;

}  // namespace cupola::executor
