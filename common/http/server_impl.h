#pragma once

// Internal to common/http: the state a Server shares with its connections.

#include <optional>
#include <unordered_set>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/http/server.h"

namespace cupola::http {

class Connection;

struct Server::Impl {
  Impl(boost::asio::any_io_executor ex, ServerOptions opts, Router r, log::Logger l,
       std::shared_ptr<Varz> v);

  // Routes and middleware around the handler; the response still needs finishing.
  boost::asio::awaitable<Response> handle(RequestContext& ctx, const Router::Route* route);
  void count_response(unsigned status);
  void connection_closed(Connection* c);

  boost::asio::any_io_executor executor;
  ServerOptions options;
  Router router;
  log::Logger log;
  std::shared_ptr<Varz> varz;
  std::vector<Middleware> middleware;
  Next chain;  // middleware composed over routing, built by start()
  HealthCheck health;
  VarzGuard varz_guard;
  ErrorRenderer render_error = error_response;

  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  std::unordered_set<Connection*> connections;
  boost::asio::steady_timer drained;  // cancelled when the last connection closes on stop
  bool stopping = false;

  std::atomic<std::int64_t>& requests;
  std::atomic<std::int64_t>& responses_2xx;
  std::atomic<std::int64_t>& responses_3xx;
  std::atomic<std::int64_t>& responses_4xx;
  std::atomic<std::int64_t>& responses_5xx;
  std::atomic<std::int64_t>& connections_total;
  std::atomic<std::int64_t>& connections_rejected;
};

}  // namespace cupola::http
