#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/http/client/cancel_token.h"
#include "common/http/client/message.h"
#include "common/http/client/options.h"
#include "common/log/log.h"

namespace cupola::http {

namespace detail {
struct ClientImpl;
}

// Receives a streamed body piece by piece as it arrives; return false to stop reading.
using BodyHandler = std::function<bool(std::string_view chunk)>;

// Sees a 2xx response's status and headers before any of its body; return false to stop.
using HeadHandler = std::function<bool(const ClientResponse& head)>;

struct StreamOptions {
  // The longest wait for the response head, and then between two pieces of the body.
  std::chrono::milliseconds idle_timeout{60'000};
  CancelToken cancel;
  HeadHandler on_head;  // optional
};

// An HTTP/1.1 client for http:// and https:// URLs with keep-alive connection pools.
//
// Connections are pooled per origin (scheme, host, port): a finished keep-alive response
// returns its connection to the pool (at most options.max_idle_per_host per origin; one
// idle for options.idle_timeout is closed the next time the pool is used). Each request
// takes an idle connection or opens a new one, so N concurrent requests to one origin
// use at most N connections. When a pooled connection turns out to have been closed by
// the server before any response arrived, an idempotent request (GET, HEAD, PUT, DELETE,
// OPTIONS) is sent once more on a new connection.
//
// Threading: every call must be made, and every returned awaitable run, on `executor`,
// which must be single-threaded (an io_context run by one thread, or a strand). The
// Client must outlive every request it started.
//
// Errors are values, and their messages name the method and URL:
//   Errc::InvalidArgument  bad URL
//   Errc::Timeout          connect_timeout or the request's timeout passed
//   Errc::Unavailable      lookup, connect, TLS (including certificate checks), send or
//                          receive failed
//   Errc::LimitExceeded    the body is larger than options.max_body_bytes
//   Errc::Cancelled        a stream's CancelToken fired
// Any HTTP status is a successful ClientResponse.
class Client {
 public:
  // Throws std::invalid_argument when options.tls.ca_file cannot be loaded (a startup
  // error).
  Client(boost::asio::any_io_executor executor, ClientOptions options, log::Logger logger);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  boost::asio::awaitable<Result<ClientResponse>> request(ClientRequest req);

  boost::asio::awaitable<Result<ClientResponse>> get(std::string url, Headers headers = {});
  boost::asio::awaitable<Result<ClientResponse>> post(std::string url, std::string body,
                                                      std::string content_type,
                                                      Headers headers = {});
  boost::asio::awaitable<Result<ClientResponse>> put(std::string url, std::string body,
                                                     std::string content_type,
                                                     Headers headers = {});
  boost::asio::awaitable<Result<ClientResponse>> patch(std::string url, std::string body,
                                                       std::string content_type,
                                                       Headers headers = {});
  boost::asio::awaitable<Result<ClientResponse>> del(std::string url, Headers headers = {});

  // Sends `req` and hands a 2xx response's body to `on_body` piece by piece as it arrives
  // (chunked or not), for server-sent events and log tails. Returns the status and headers
  // (with an empty body) when the body ends, `on_body` returns false, or the server
  // closes. A non-2xx response's body is read whole (within max_body_bytes) into the
  // returned ClientResponse instead. req.timeout bounds connecting only; after that
  // options.idle_timeout bounds every wait. Never retried.
  boost::asio::awaitable<Result<ClientResponse>> stream(ClientRequest req, BodyHandler on_body,
                                                        StreamOptions options = {});

  // Closes every idle pooled connection.
  void close_idle();
  // How many idle connections the pool holds (after dropping expired ones).
  std::size_t idle_connections();

  const boost::asio::any_io_executor& executor() const;
  const ClientOptions& options() const;

 private:
  std::unique_ptr<detail::ClientImpl> impl_;
};

}  // namespace cupola::http
