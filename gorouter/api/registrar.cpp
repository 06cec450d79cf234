#include "gorouter/api/registrar.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/config/config.h"

namespace cupola::router_api {
namespace asio = boost::asio;

RouteRegistrar::RouteRegistrar(nats::Client& nats, RegistrarOptions options, log::Logger log)
    : nats_(nats),
      options_(std::move(options)),
      log_(std::move(log)),
      timer_(nats.executor()),
      interval_(options_.register_interval) {}

void RouteRegistrar::publish(const char* subject) {
  if (options_.uris.empty()) return;
  if (auto st = nats_.publish(subject, message_); !st) {
    log_.error("route-registrar.publish-failed", st.error().message, {{"subject", subject}});
  }
}

asio::awaitable<void> RouteRegistrar::start() {
  if (options_.uris.empty()) co_return;
  RegistryMessage m;
  m.host = options_.host;
  m.port = options_.port ? options_.port() : 0;
  m.uris = options_.uris;
  m.private_instance_id = options_.instance_id;
  m.private_instance_index = "0";
  m.tags["component"] = "platform";
  message_ = to_json(m);
  auto on_greeting = [this](nats::Message m) {
    auto g = parse_router_greeting(m.data);
    if (!g) return;
    interval_ = std::chrono::seconds(g->minimum_register_interval_seconds);
    publish("router.register");
  };
  auto sub = nats_.subscribe("router.start", on_greeting);
  if (sub) router_start_ = std::move(*sub);
  publish("router.register");
  // A router already running says how often it wants registrations.
  std::string subject = "router.greet";
  std::string body = "{}";
  auto greeting = co_await nats_.request(subject, body, std::chrono::seconds(1));
  if (greeting) on_greeting(*greeting);
}

asio::awaitable<void> RouteRegistrar::run() {
  while (!stopping_) {
    timer_.expires_after(interval_);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!stopping_) publish("router.register");
  }
  router_start_.unsubscribe();
  publish("router.unregister");
}

void RouteRegistrar::stop() {
  stopping_ = true;
  timer_.cancel();
}

void add_route_registrar(ServiceGroup& group, nats::Client& nats, std::vector<std::string> uris,
                         const std::string& listen_address, std::function<std::uint32_t()> port,
                         std::string instance_id, const log::Logger& log) {
  if (uris.empty()) return;
  RegistrarOptions o;
  o.uris = std::move(uris);
  auto hp = config::parse_host_port(listen_address);
  o.host = hp && hp->host != "0.0.0.0" ? hp->host : "127.0.0.1";
  o.port = std::move(port);
  o.instance_id = std::move(instance_id);
  group.add(std::make_shared<RouteRegistrar>(nats, std::move(o), log.session("routes")));
}

}  // namespace cupola::router_api
