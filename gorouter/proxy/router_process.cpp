#include "gorouter/proxy/router_process.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <stdexcept>

#include <boost/asio/ssl/context.hpp>

#include "common/component/component.h"
#include "common/core/base64.h"
#include "common/core/guid.h"
#include "common/json/json.h"
#include "common/nats/client.h"
#include "gorouter/proxy/route_subscriber.h"
#include "gorouter/proxy/workers.h"
#include "loggregator/api/log_client.h"

namespace cupola::router {
namespace asio = boost::asio;

namespace {

// The proxy's loops as a service: they start listening at start() and drain at stop().
class ProxyService final : public Service {
 public:
  ProxyService(asio::any_io_executor ex, Workers& workers, const RouterConfig& c,
               std::atomic<bool>& draining, ProxyStats& stats, log::Logger log)
      : ex_(ex),
        workers_(workers),
        config_(c),
        draining_(draining),
        stats_(stats),
        log_(std::move(log)),
        wake_(ex) {}

  std::string name() const override { return "proxy"; }
  asio::awaitable<void> start() override {
    if (auto st = workers_.listen(config_.address, config_.port); !st) {
      throw std::runtime_error(st.error().message);
    }
    if (config_.tls_port != 0) {
      tls_.emplace(asio::ssl::context::tls_server);
      tls_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1);
      boost::system::error_code ec;
      tls_->use_certificate_chain_file(config_.tls_cert_file, ec);
      if (!ec) tls_->use_private_key_file(config_.tls_key_file, asio::ssl::context::pem, ec);
      if (ec) {
        throw std::runtime_error("cannot load the TLS certificate " + config_.tls_cert_file +
                                 " and key " + config_.tls_key_file + ": " + ec.message());
      }
      if (auto st = workers_.listen_tls(config_.address, config_.tls_port, *tls_); !st) {
        throw std::runtime_error(st.error().message);
      }
    }
    workers_.start();
    log_.info("listening", {{"address", config_.address},
                            {"port", static_cast<std::int64_t>(workers_.port())},
                            {"tls_port", static_cast<std::int64_t>(workers_.tls_port())}});
    co_return;
  }
  asio::awaitable<void> run() override {
    while (!stopping_) co_await wake_.wait();
    draining_ = true;
    workers_.stop_accepting();
    auto deadline = std::chrono::steady_clock::now() + config_.drain_timeout;
    // Connections in flight finish their current request (keep-alive ones close after it).
    while (stats_.open_connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      asio::steady_timer t(ex_, std::chrono::milliseconds(50));
      co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    log_.info("drained", {{"open_connections", stats_.open_connections.load()}});
    workers_.join();
  }
  void stop() override {
    stopping_ = true;
    draining_ = true;
    wake_.notify();
  }

 private:
  asio::any_io_executor ex_;
  Workers& workers_;
  const RouterConfig& config_;
  std::atomic<bool>& draining_;
  ProxyStats& stats_;
  log::Logger log_;
  Wakeup wake_;
  bool stopping_ = false;
  std::optional<asio::ssl::context> tls_;
};

// SIGUSR1 drains the router as SIGTERM does (gorouter's drain signal).
class DrainSignal final : public Service {
 public:
  DrainSignal(asio::io_context& io, ServiceGroup& group) : signals_(io, SIGUSR1), group_(group) {}
  std::string name() const override { return "drain-signal"; }
  asio::awaitable<void> run() override {
    auto [ec, signo] = co_await signals_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!ec) group_.stop();
  }
  void stop() override {
    boost::system::error_code ec;
    signals_.cancel(ec);
  }

 private:
  asio::signal_set signals_;
  ServiceGroup& group_;
};

RegistryOptions registry_options(const RouterConfig& c) {
  RegistryOptions o;
  o.droplet_stale_threshold =
      std::chrono::duration_cast<std::chrono::seconds>(c.droplet_stale_threshold);
  o.load_balancing = c.load_balancing == "least-connection" ? LoadBalancing::LeastConnection
                                                            : LoadBalancing::RoundRobin;
  return o;
}

bool authorized(const http::RequestContext& ctx, const RouterConfig& c) {
  if (c.status_user.empty()) return true;
  auto header = ctx.request[http::bhttp::field::authorization];
  std::string expected = "Basic " + base64_encode(c.status_user + ":" + c.status_password);
  return std::string_view(header.data(), header.size()) == expected;
}

// A 401 asking for the status credentials, or nullopt when the request has them.
std::optional<http::Response> unauthorized(const http::RequestContext& rc, const RouterConfig& c) {
  if (authorized(rc, c)) return std::nullopt;
  auto res =
      http::make_response(http::StatusCode::unauthorized, "401 Unauthorized\n", "text/plain");
  res.set(http::bhttp::field::www_authenticate, "Basic realm=\"cupola-router\"");
  return res;
}

}  // namespace

struct RouterProcess {
  RouterProcess(const RouterConfig& c, ServiceContext& ctx)
      : config(c),
        ex(ctx.io.get_executor()),
        nats(ex, nats::ClientOptions{.servers = c.nats_servers, .name = "cupola-router"}, ctx.log),
        registry(registry_options(c)),
        proxy_ctx{slot, ProxyOptions{}, stats, draining, {}},
        workers(proxy_ctx, c.threads, c.max_idle_backend_connections) {
    auto& o = proxy_ctx.options;
    o.client_idle_timeout = c.client_idle_timeout;
    o.request_head_timeout = c.request_head_timeout;
    o.endpoint_timeout = c.endpoint_timeout;
    o.endpoint_dial_timeout = c.endpoint_dial_timeout;
    o.failed_endpoint_timeout = registry.options().retry_after_failure();
    o.max_header_bytes = c.max_header_bytes;
    if (c.app_logs) {
      app_logs = std::make_shared<loggregator::LogClient>(
          ex, nats, ctx.clock, loggregator::BatcherOptions{}, ctx.log.session("app-logs"));
      proxy_ctx.app_log = [this](const std::string& app, const std::string& index,
                                 const std::string& line) { publish_app_log(app, index, line); };
    }
    if (!c.access_log_file.empty()) {
      access_log_fd =
          ::open(c.access_log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
      if (access_log_fd < 0) {
        throw std::runtime_error("cannot open the access log " + c.access_log_file + ": " +
                                 std::strerror(errno));
      }
      // One write per line on an O_APPEND file: lines from the loops never interleave.
      proxy_ctx.access_log = [fd = access_log_fd](std::string line) {
        line += '\n';
        (void)!::write(fd, line.data(), line.size());
      };
    }
  }
  // An RTR log for the app (ARCHITECTURE §3): batched with the others of its app and
  // published on logs.<app guid> by the loggregator client, as every log producer does.
  void publish_app_log(const std::string& app_id, const std::string& index,
                       const std::string& line) {
    auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    auto e = loggregator::make_log(now, app_id, index, "RTR", line);
    e.tags["origin"] = "cupola-router";
    app_logs->emit(std::move(e));
  }

  ~RouterProcess() {
    workers.join();  // no loop writes to the log after it closes
    if (access_log_fd >= 0) ::close(access_log_fd);
  }

  RouterConfig config;
  asio::any_io_executor ex;
  RandomGuidGenerator guids;
  nats::Client nats;
  std::shared_ptr<loggregator::LogClient> app_logs;  // null when app_logs is off
  Registry registry;
  TableSlot slot;
  ProxyStats stats;
  std::atomic<bool> draining{false};
  ProxyContext proxy_ctx;
  int access_log_fd = -1;
  Workers workers;
};

std::shared_ptr<RouterProcess> build_router(const RouterConfig& c, ServiceContext& ctx) {
  auto p = std::make_shared<RouterProcess>(c, ctx);
  auto* raw = p.get();
  ctx.group.add(std::make_shared<DrainSignal>(ctx.io, ctx.group));
  component::add_nats(ctx.group, raw->ex, raw->nats);
  // Stopped after the proxy, so the lines of the last requests go out too.
  if (raw->app_logs) ctx.group.add(raw->app_logs);

  RouteSubscriberOptions so;
  so.router_id = c.router_id.empty() ? raw->guids.next() : c.router_id;
  so.hosts = {c.address};
  so.register_interval = std::chrono::duration_cast<std::chrono::seconds>(c.register_interval);
  so.prune_interval = c.prune_interval;
  auto subscriber = std::make_shared<RouteSubscriber>(raw->ex, raw->nats, raw->registry, raw->slot,
                                                      so, ctx.clock, ctx.log.session("routes"));
  ctx.group.add(subscriber);

  http::Router status;
  status.get("/health", [raw](http::RequestContext&) -> asio::awaitable<http::Response> {
    if (raw->draining.load()) {
      co_return http::make_response(http::StatusCode::service_unavailable, "draining\n",
                                    "text/plain");
    }
    co_return http::make_response(http::StatusCode::ok, "ok\n", "text/plain");
  });
  status.get("/routes", [raw](http::RequestContext& rc) -> asio::awaitable<http::Response> {
    if (!authorized(rc, raw->config)) {
      auto res =
          http::make_response(http::StatusCode::unauthorized, "401 Unauthorized\n", "text/plain");
      res.set(http::bhttp::field::www_authenticate, "Basic realm=\"cupola-router\"");
      co_return res;
    }
    co_return http::json_response(http::StatusCode::ok, raw->slot.load()->to_json());
  });
  auto server = component::add_http_server(ctx.group, raw->ex, c.status_address, std::move(status),
                                           raw->nats, ctx.log);
  server->set_varz_guard(
      [raw](const http::RequestContext& rc) { return unauthorized(rc, raw->config); });
  auto& v = server->varz();
  auto* stats = &raw->stats;
  v.gauge("router.requests", [stats] { return static_cast<std::int64_t>(stats->requests.load()); });
  v.gauge("router.responses_2xx",
          [stats] { return static_cast<std::int64_t>(stats->responses_2xx.load()); });
  v.gauge("router.responses_4xx",
          [stats] { return static_cast<std::int64_t>(stats->responses_4xx.load()); });
  v.gauge("router.responses_5xx",
          [stats] { return static_cast<std::int64_t>(stats->responses_5xx.load()); });
  v.gauge("router.bad_requests",
          [stats] { return static_cast<std::int64_t>(stats->bad_requests.load()); });
  v.gauge("router.backend_retries",
          [stats] { return static_cast<std::int64_t>(stats->backend_retries.load()); });
  v.gauge("router.open_connections", [stats] { return stats->open_connections.load(); });
  v.gauge("router.routes",
          [raw] { return static_cast<std::int64_t>(raw->slot.load()->route_count()); });
  v.gauge("router.registry_messages",
          [s = subscriber.get()] { return static_cast<std::int64_t>(s->messages()); });
  component::add_announcer(ctx.group, raw->nats, "router", c.status_address, *server, ctx.log);

  ctx.group.add(std::make_shared<ProxyService>(raw->ex, raw->workers, raw->config, raw->draining,
                                               raw->stats, ctx.log.session("proxy")));
  return p;
}

}  // namespace cupola::router
