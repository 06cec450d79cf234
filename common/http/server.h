#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/core/result.h"
#include "common/http/router.h"
#include "common/http/varz.h"
#include "common/log/log.h"
#include "common/service/service.h"

namespace cupola::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 0;                         // 0: any free port; see Server::port()
  std::size_t max_body_bytes = 1 << 20;            // larger bodies get 413 (routes may raise it)
  std::size_t max_header_bytes = 16 << 10;         // larger request heads get 431
  std::chrono::milliseconds idle_timeout{90'000};  // for the next request on a connection
  std::chrono::milliseconds read_timeout{30'000};  // for a request body
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds drain_timeout{10'000};  // on stop, for requests in flight
  std::size_t max_connections = 10'000;             // beyond it new connections are closed at once
  bool reuse_port = false;                          // several servers (one per thread) on one port
  std::string server_header = "cupola";
};

// Renders the errors the server answers itself (400, 404, 405, 413, 431, 500) in a
// component's own error format; the default is error_response() from message.h.
using ErrorRenderer = std::function<Response(StatusCode, std::string_view message)>;

using Next = std::function<boost::asio::awaitable<Response>(RequestContext&)>;
// Runs around every routed request; calls `next` to continue (or answers itself).
using Middleware = std::function<boost::asio::awaitable<Response>(RequestContext&, const Next&)>;
// For GET /healthz: ok → 200, an error → 503 with its message.
using HealthCheck = std::function<Status()>;
// For GET /varz: an answer to send instead of the metrics (a 401, say), or nullopt to serve
// them.
using VarzGuard = std::function<std::optional<Response>(const RequestContext&)>;

// An HTTP/1.1 server on Beast coroutines: keep-alive, limits (413, 431, 400 for malformed
// requests; a body that does not arrive within read_timeout closes the connection), timeouts,
// streaming responses, GET /healthz and GET /varz, and a graceful drain on stop(): no new
// connections, idle ones close, requests in flight finish (up to drain_timeout), streaming handlers
// are cancelled. All its work runs on the one executor it is given (a single-threaded context).
class Server final : public Service {
 public:
  Server(boost::asio::any_io_executor executor, ServerOptions options, Router router,
         log::Logger logger, std::shared_ptr<Varz> varz = nullptr);
  ~Server() override;

  // Before start(). The first added runs outermost.
  void use(Middleware middleware);
  void set_health_check(HealthCheck check);
  // Guards GET /varz (which, like /healthz, skips the middleware).
  void set_varz_guard(VarzGuard guard);
  void set_error_renderer(ErrorRenderer render);

  // Service
  std::string name() const override { return "http-server"; }
  // Binds and listens; throws std::system_error naming the address when it cannot.
  boost::asio::awaitable<void> start() override;
  boost::asio::awaitable<void> run() override;
  void stop() override;

  // The bound port (after start()).
  unsigned short port() const;
  Varz& varz();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace cupola::http
