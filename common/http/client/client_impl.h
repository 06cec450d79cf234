#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/core/result.h"
#include "common/http/client/connection.h"
#include "common/http/client/idle_pool.h"
#include "common/http/client/options.h"
#include "common/log/log.h"

namespace cupola::http::detail {

// Internal. The state behind a Client; lives on the client's executor.
struct ClientImpl {
  ClientImpl(asio::any_io_executor ex, ClientOptions opts, log::Logger logger,
             asio::ssl::context tls_context);

  // An idle pooled connection to url's origin (unless `fresh`), else a new one, connected
  // within connect_timeout and `deadline`. `context` ("GET http://...") and `timeout`
  // (the request's) go into error messages.
  asio::awaitable<Result<std::unique_ptr<Connection>>> acquire(const Url& url, std::string context,
                                                               SteadyTime deadline,
                                                               std::chrono::milliseconds timeout,
                                                               bool fresh);

  // Returns a connection whose last response allowed keep-alive to the pool.
  void release(const Url& url, std::unique_ptr<Connection> conn);

  asio::any_io_executor executor;
  ClientOptions options;
  log::Logger log;
  asio::ssl::context tls;
  IdlePool<Connection> pool;
};

}  // namespace cupola::http::detail
