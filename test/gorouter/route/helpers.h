#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/core/clock.h"
#include "gorouter/route/endpoint.h"
#include "gorouter/route/registry.h"
#include "gorouter/route/registry_message.h"
#include "gorouter/route/route_table.h"

namespace cupola::router::test {

inline const TimePoint kStart{std::chrono::seconds{1'700'000'000}};

inline RegistryMessage message(std::vector<std::string> uris, std::uint16_t port,
                               std::string instance_id = "", std::string host = "10.0.0.1") {
  RegistryMessage m;
  m.host = std::move(host);
  m.port = port;
  m.uris = std::move(uris);
  m.app = "5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6";
  m.private_instance_id = std::move(instance_id);
  m.private_instance_index = "0";
  return m;
}

inline std::shared_ptr<Endpoint> endpoint(std::uint16_t port, std::string_view instance_id = "",
                                          std::string_view index = "0") {
  EndpointSpec s;
  s.host = "10.0.0.1";
  s.port = port;
  s.app_id = "5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6";
  s.private_instance_id = instance_id;
  s.private_instance_index = index;
  return std::make_shared<Endpoint>(s);
}

// The route a request for `host` + `target` goes to, or "" when none matches.
inline std::string route_of(const RouteTable& table, std::string_view host,
                            std::string_view target = "/") {
  const Pool* p = table.find(host, target);
  return p ? p->route() : "";
}

}  // namespace cupola::router::test
