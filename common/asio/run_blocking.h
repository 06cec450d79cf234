#pragma once

// Running a blocking call (file work, hashing) on a thread pool from a coroutine.

#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola {

namespace detail {
template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> call_blocking(std::shared_ptr<F> f) {
  co_return (*f)();
}
}  // namespace detail

// Runs `f` (a blocking call) on `pool`; awaiting the result resumes the caller on its own
// executor. A plain function rather than a coroutine taking `f`: GCC 12 destroyed such a
// closure parameter twice.
template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> run_blocking(boost::asio::thread_pool& pool, F f) {
  return boost::asio::co_spawn(pool.get_executor(),
                               detail::call_blocking(std::make_shared<F>(std::move(f))),
                               boost::asio::use_awaitable);
}

}  // namespace cupola
