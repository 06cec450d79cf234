#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/json/json.h"

namespace cupola::route_emitter {

// cupola-route-emitter's configuration file.
struct RouteEmitterConfig {
  std::string listen_address = "127.0.0.1:8084";  // /healthz, /varz
  std::string log_level = "info";
  std::string bbs_url = "http://127.0.0.1:8889";
  std::vector<std::string> nats_servers{"nats://127.0.0.1:4222"};
  std::chrono::milliseconds register_interval{20'000};
  std::chrono::milliseconds sync_interval{60'000};

  void read(json::ObjectReader& r);
  void validate(std::vector<std::string>& problems) const;
};

}  // namespace cupola::route_emitter
