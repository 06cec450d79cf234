#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/core/result.h"

namespace cupola::router {

// Keep-alive connections from one event loop to the backends, by "host:port". Only the
// loop's own sessions use it (no lock). An idle connection the backend closed is noticed
// when taken (it is readable: EOF) and dropped.
class BackendPool {
 public:
  BackendPool(boost::asio::any_io_executor ex, std::size_t max_idle_per_backend)
      : ex_(std::move(ex)), max_idle_(max_idle_per_backend) {}

  struct Connection {
    boost::asio::ip::tcp::socket socket;
    bool reused = false;
  };

  // An idle connection to host:port, or a new one (within `timeout`). Errors: Unavailable
  // (refused, unreachable), Timeout.
  boost::asio::awaitable<Result<Connection>> get(std::string host, std::uint16_t port,
                                                 std::chrono::milliseconds timeout);
  // Gives a connection back for the next request to host:port.
  void release(const std::string& address, boost::asio::ip::tcp::socket socket);

  std::size_t idle() const;

 private:
  boost::asio::any_io_executor ex_;
  std::size_t max_idle_;
  std::unordered_map<std::string, std::vector<boost::asio::ip::tcp::socket>> idle_;
};

}  // namespace cupola::router
