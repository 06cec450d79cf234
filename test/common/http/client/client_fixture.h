#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "common/core/clock.h"
#include "common/http/client/client.h"
#include "common/log/log.h"

namespace cupola::http::testing {

template <class T>
boost::asio::awaitable<void> store_into(boost::asio::awaitable<T> op, std::optional<T>* out) {
  out->emplace(co_await std::move(op));
}

// A client on a private io_context that the test thread runs, with logs kept in memory.
struct ClientFixture {
  explicit ClientFixture(ClientOptions options = {})
      : sink(std::make_shared<log::MemorySink>()),
        client(io.get_executor(), std::move(options),
               log::Logger(sink, clock, "test", log::Level::Debug)) {}

  // Runs `op` to completion on the test thread; fails the test if it takes over 20 s.
  template <class T>
  T run(boost::asio::awaitable<T> op) {
    std::optional<T> out;
    boost::asio::co_spawn(io, store_into(std::move(op), &out), boost::asio::detached);
    io.restart();
    io.run_for(std::chrono::seconds(20));
    REQUIRE(out.has_value());
    return std::move(*out);
  }

  // Runs every op concurrently; results in the order given.
  template <class T>
  std::vector<T> run_all(std::vector<boost::asio::awaitable<T>> ops) {
    std::vector<std::optional<T>> outs(ops.size());
    for (std::size_t i = 0; i < ops.size(); ++i) {
      boost::asio::co_spawn(io, store_into(std::move(ops[i]), &outs[i]), boost::asio::detached);
    }
    io.restart();
    io.run_for(std::chrono::seconds(20));
    std::vector<T> results;
    for (auto& o : outs) {
      REQUIRE(o.has_value());
      results.push_back(std::move(*o));
    }
    return results;
  }

  boost::asio::io_context io;
  SystemClock clock;
  std::shared_ptr<log::MemorySink> sink;
  Client client;
};

}  // namespace cupola::http::testing
