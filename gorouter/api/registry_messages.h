#pragma once

// The router's side of NATS (ARCHITECTURE §3 "Routes over NATS"), in gorouter's format: what
// route emitters and registrars publish on router.register / router.unregister, and the
// routers' greeting on router.start and in answer to router.greet.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace cupola::router_api {

// A router.register / router.unregister message in gorouter's format.
struct RegistryMessage {
  std::string host;
  std::uint32_t port = 0;
  std::vector<std::string> uris;
  std::string app;  // the app guid (the LRP's log guid)
  std::string private_instance_id;
  std::string private_instance_index;
  std::string route_service_url;
  std::string isolation_segment;
  std::string server_cert_domain_san;
  std::string availability_zone;
  std::int64_t endpoint_updated_at_ns = 0;
  std::map<std::string, std::string> tags;
  bool operator==(const RegistryMessage&) const = default;
};

std::string to_json(const RegistryMessage& m);

// The payload of router.start and of the answer to router.greet.
struct RouterGreeting {
  std::string id;
  std::vector<std::string> hosts;
  std::int64_t minimum_register_interval_seconds = 20;
  std::int64_t prune_threshold_seconds = 120;
};
Result<RouterGreeting> parse_router_greeting(std::string_view json);
std::string to_json(const RouterGreeting& g);

}  // namespace cupola::router_api
