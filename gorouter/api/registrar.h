#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "common/log/log.h"
#include "common/nats/client.h"
#include "common/service/service.h"
#include "gorouter/api/registry_messages.h"

namespace cupola::router_api {

struct RegistrarOptions {
  std::vector<std::string> uris;        // "api.localhost", ...
  std::string host = "127.0.0.1";       // where the routers reach this component
  std::function<std::uint32_t()> port;  // asked at start (a server bound to port 0 knows then)
  std::string instance_id;  // this component instance, so two replicas are two endpoints
  // Used until a router says how often it wants to hear from us.
  std::chrono::seconds register_interval{20};
};

// Keeps a platform component's own routes registered with every router, as Cloud Foundry's
// route_registrar does for the API and the token service: registers at start and then every
// interval the routers ask for (router.start and the answer to router.greet), registers at
// once when a router (re)starts, and unregisters on stop. A Service on the NATS client's
// executor; add it after the client connects. Does nothing when `uris` is empty.
class RouteRegistrar final : public Service {
 public:
  RouteRegistrar(nats::Client& nats, RegistrarOptions options, log::Logger log);

  std::string name() const override { return "route-registrar"; }
  boost::asio::awaitable<void> start() override;
  boost::asio::awaitable<void> run() override;
  void stop() override;

 private:
  void publish(const char* subject);

  nats::Client& nats_;
  RegistrarOptions options_;
  log::Logger log_;
  std::string message_;
  nats::Subscription router_start_;
  boost::asio::steady_timer timer_;
  std::chrono::seconds interval_;
  bool stopping_ = false;
};

// Adds a RouteRegistrar for `uris` to `group` (nothing when empty): the routers reach the
// component at `listen_address`'s host and the port `port()` reports at start.
void add_route_registrar(ServiceGroup& group, nats::Client& nats, std::vector<std::string> uris,
                         const std::string& listen_address, std::function<std::uint32_t()> port,
                         std::string instance_id, const log::Logger& log);

}  // namespace cupola::router_api
