#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "gorouter/api/registry_messages.h"

namespace cupola::route_emitter {

// One entry of a desired LRP's "cf-router" routes: the hostnames (with an optional
// path, "host/path") that reach the instances' container `port`.
struct CfRoute {
  std::vector<std::string> hostnames;
  std::uint32_t port = 8080;
  std::string route_service_url;
  std::string isolation_segment;
  bool operator==(const CfRoute&) const = default;
};

// Reads the "cf-router" list of a DesiredLRP's routes JSON ({"cf-router": [...], ...};
// other routers' keys are ignored; "" is no routes). InvalidArgument names the field.
Result<std::vector<CfRoute>> parse_cf_routes(std::string_view routes_json);

// The router's wire types, as the emitter uses them.
using router_api::parse_router_greeting;
using router_api::RegistryMessage;
using router_api::RouterGreeting;
using router_api::to_json;

}  // namespace cupola::route_emitter
