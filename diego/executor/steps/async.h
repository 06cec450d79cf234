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

namespace detail {
template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> call(std::shared_ptr<F> f) {
  co_return (*f)();
}
}  // namespace detail

// Runs `f` (a blocking call) on `pool`; awaiting the result resumes the caller on its own
// executor. A plain function rather than a coroutine taking `f`: GCC 12 destroyed such a
// closure parameter twice.
template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> run_blocking(boost::asio::thread_pool& pool, F f) {
  return boost::asio::co_spawn(pool.get_executor(), detail::call(std::make_shared<F>(std::move(f))),
                               boost::asio::use_awaitable);
}

}  // namespace cupola::executor
