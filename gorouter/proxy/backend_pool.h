#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/core/result.h"

namespace cupola::router {

// Keep-alive connections from one event loop to the backends, by "host:port". Only the
// loop's own sessions use it (no lock). When asked to, take_idle() checks that an idle
// connection is still idle (not readable: no EOF, no stray bytes) and drops those that are not;
// a caller that skips the check must be ready to find the connection closed.
class BackendPool {
 public:
  BackendPool(boost::asio::any_io_executor ex, std::size_t max_idle_per_backend)
      : ex_(std::move(ex)), max_idle_(max_idle_per_backend) {}

  struct Connection {
    boost::asio::ip::tcp::socket socket;
    bool reused = false;
  };

  // An idle connection to `address` ("host:port"), if there is one.
  std::optional<Connection> take_idle(std::string_view address, bool check);
  // A new connection to host:port (within `timeout`). Errors: Unavailable (refused,
  // unreachable), Timeout.
  boost::asio::awaitable<Result<Connection>> connect(std::string host, std::uint16_t port,
                                                     std::chrono::milliseconds timeout);
  // Gives a connection back for the next request to host:port.
  void release(std::string_view address, boost::asio::ip::tcp::socket socket);

  std::size_t idle() const;

 private:
  boost::asio::any_io_executor ex_;
  std::size_t max_idle_;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, std::vector<boost::asio::ip::tcp::socket>, Hash, std::equal_to<>>
      idle_;
};

}  // namespace cupola::router
