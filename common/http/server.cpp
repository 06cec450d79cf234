#include "common/http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/http/connection.h"
#include "common/json/json.h"

namespace cupola::http {
namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;
using asio::ip::tcp;

Server::Impl::Impl(asio::any_io_executor ex, ServerOptions opts, Router r, log::Logger l,
                   std::shared_ptr<Varz> v)
    : executor(std::move(ex)),
      options(std::move(opts)),
      router(std::move(r)),
      log(std::move(l)),
      varz(v ? std::move(v) : std::make_shared<Varz>(log.source())),
      drained(executor, asio::steady_timer::time_point::max()),
      requests(varz->counter("http.requests")),
      responses_2xx(varz->counter("http.responses.2xx")),
      responses_3xx(varz->counter("http.responses.3xx")),
      responses_4xx(varz->counter("http.responses.4xx")),
      responses_5xx(varz->counter("http.responses.5xx")),
      connections_total(varz->counter("http.connections.total")),
      connections_rejected(varz->counter("http.connections.rejected")) {}

asio::awaitable<Response> Server::Impl::handle(RequestContext& ctx, const Router::Route* route) {
  if (!route) {
    co_return render_error(StatusCode::not_found, "unknown path " + std::string(ctx.path()));
  }
  ctx.handler = &route->handler;
  if (route->options.skip_middleware) co_return co_await route->handler(ctx);
  co_return co_await chain(ctx);
}

void Server::Impl::count_response(unsigned status) {
  auto& c = status >= 500   ? responses_5xx
            : status >= 400 ? responses_4xx
            : status >= 300 ? responses_3xx
                            : responses_2xx;
  c.fetch_add(1, std::memory_order_relaxed);
}

void Server::Impl::connection_closed(Connection* c) {
  connections.erase(c);
  if (stopping && connections.empty()) drained.cancel();
}

Server::Server(asio::any_io_executor executor, ServerOptions options, Router router,
               log::Logger logger, std::shared_ptr<Varz> varz)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options), std::move(router),
                                   logger.session("http"), std::move(varz))) {
  auto weak = std::weak_ptr<Impl>(impl_);
  impl_->router.get(
      "/healthz",
      [weak](RequestContext&) -> asio::awaitable<Response> {
        auto impl = weak.lock();
        Status s = impl && impl->health ? impl->health() : Status{};
        if (!s.ok()) co_return error_response(StatusCode::service_unavailable, s.error().message);
        co_return json_response(StatusCode::ok, R"({"healthy":true})");
      },
      RouteOptions{.max_body_bytes = std::nullopt, .skip_middleware = true});
  impl_->router.get(
      "/varz",
      [weak](RequestContext& ctx) -> asio::awaitable<Response> {
        auto impl = weak.lock();
        if (impl && impl->varz_guard) {
          if (auto refused = impl->varz_guard(ctx)) co_return std::move(*refused);
        }
        co_return json_response(StatusCode::ok, impl ? impl->varz->to_json() : "{}");
      },
      RouteOptions{.max_body_bytes = std::nullopt, .skip_middleware = true});
  impl_->varz->gauge("http.connections.open", [weak] {
    auto i = weak.lock();
    return i ? static_cast<std::int64_t>(i->connections.size()) : 0;
  });
}

Server::~Server() = default;

void Server::use(Middleware middleware) { impl_->middleware.push_back(std::move(middleware)); }

void Server::set_health_check(HealthCheck check) { impl_->health = std::move(check); }

void Server::set_varz_guard(VarzGuard guard) { impl_->varz_guard = std::move(guard); }

void Server::set_error_renderer(ErrorRenderer render) { impl_->render_error = std::move(render); }

unsigned short Server::port() const {
  return impl_->acceptor ? impl_->acceptor->local_endpoint().port() : 0;
}

Varz& Server::varz() { return *impl_->varz; }

asio::awaitable<void> Server::start() {
  auto& impl = *impl_;
  Next next = [](RequestContext& ctx) { return (*ctx.handler)(ctx); };
  for (auto it = impl.middleware.rbegin(); it != impl.middleware.rend(); ++it) {
    next = [m = *it, inner = std::move(next)](RequestContext& ctx) { return m(ctx, inner); };
  }
  impl.chain = std::move(next);

  tcp::endpoint endpoint(asio::ip::make_address(impl.options.address), impl.options.port);
  tcp::acceptor acceptor(impl.executor);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  if (impl.options.reuse_port) {
    int one = 1;
    ::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
  }
  boost::system::error_code ec;
  acceptor.bind(endpoint, ec);
  if (ec) {
    throw std::system_error(
        ec, "cannot listen on " + impl.options.address + ":" + std::to_string(impl.options.port));
  }
  acceptor.listen(asio::socket_base::max_listen_connections);
  impl.acceptor.emplace(std::move(acceptor));
  impl.log.info("listening", {{"address", impl.options.address}, {"port", port()}});
  co_return;
}

asio::awaitable<void> Server::run() {
  auto impl = impl_;
  while (!impl->stopping) {
    auto [ec, socket] = co_await impl->acceptor->async_accept(as_tuple(use_awaitable));
    if (impl->stopping) break;
    if (ec) {
      impl->log.error("accept-failed", ec.message());
      // Out of descriptors and the like: back off instead of spinning.
      asio::steady_timer backoff(impl->executor, std::chrono::milliseconds(50));
      co_await backoff.async_wait(as_tuple(use_awaitable));
      continue;
    }
    impl->connections_total.fetch_add(1, std::memory_order_relaxed);
    if (impl->connections.size() >= impl->options.max_connections) {
      impl->connections_rejected.fetch_add(1, std::memory_order_relaxed);
      continue;  // the socket closes as it goes out of scope
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto conn = std::make_shared<Connection>(impl, std::move(socket));
    impl->connections.insert(conn.get());
    asio::co_spawn(impl->executor, conn->run(),
                   asio::bind_cancellation_slot(
                       conn->cancel_signal().slot(),
                       [impl, conn](std::exception_ptr) { impl->connection_closed(conn.get()); }));
  }
  if (!impl->connections.empty()) {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer deadline(impl->executor, impl->options.drain_timeout);
    co_await (impl->drained.async_wait(as_tuple(use_awaitable)) ||
              deadline.async_wait(as_tuple(use_awaitable)));
  }
  if (!impl->connections.empty()) {
    impl->log.info("drain-timed-out", {{"connections", impl->connections.size()}});
    impl->drained.expires_at(asio::steady_timer::time_point::max());
    for (auto* c : std::vector<Connection*>(impl->connections.begin(), impl->connections.end())) {
      c->cancel_signal().emit(asio::cancellation_type::terminal);
      c->close();
    }
    asio::steady_timer grace(impl->executor, std::chrono::seconds(1));
    using namespace asio::experimental::awaitable_operators;
    co_await (impl->drained.async_wait(as_tuple(use_awaitable)) ||
              grace.async_wait(as_tuple(use_awaitable)));
  }
  impl->log.info("drained");
}

void Server::stop() {
  auto& impl = *impl_;
  if (impl.stopping) return;
  impl.stopping = true;
  boost::system::error_code ec;
  if (impl.acceptor) impl.acceptor->close(ec);
  if (impl.connections.empty()) impl.drained.cancel();
  for (auto* c : std::vector<Connection*>(impl.connections.begin(), impl.connections.end())) {
    if (c->state() != Connection::State::Busy) {
      c->cancel_signal().emit(asio::cancellation_type::terminal);
    }
  }
}

}  // namespace cupola::http
