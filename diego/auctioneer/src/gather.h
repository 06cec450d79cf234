#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola::auctioneer {

// Runs make(0) … make(n - 1) concurrently on `ex` (single-threaded) and returns their results
// in order once all have finished. `make(i)` returns an awaitable<T>; T must be
// default-constructible, and is left default when make(i) throws. Bound each operation
// with its own timeout: this waits for all of them.
template <class T, class Make>
boost::asio::awaitable<std::vector<T>> gather(boost::asio::any_io_executor ex, std::size_t n,
                                              Make make) {
  struct State {
    explicit State(boost::asio::any_io_executor e, std::size_t count)
        : results(count), remaining(count), done(std::move(e)) {}
    std::vector<T> results;
    std::size_t remaining;
    boost::asio::steady_timer done;
  };
  auto state = std::make_shared<State>(ex, n);
  state->done.expires_at(boost::asio::steady_timer::time_point::max());
  for (std::size_t i = 0; i < n; ++i) {
    boost::asio::co_spawn(
        ex,
        [state, i, make]() -> boost::asio::awaitable<void> {
          try {
            state->results[i] = co_await make(i);
          } catch (const std::exception&) {
            // Left default; the caller treats it as no answer.
          }
          if (--state->remaining == 0) state->done.cancel();
        },
        boost::asio::detached);
  }
  while (state->remaining > 0) {
    co_await state->done.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
  co_return std::move(state->results);
}

}  // namespace cupola::auctioneer
