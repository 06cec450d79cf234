#include "diego/route_emitter/src/config.h"

#include "common/config/config.h"
#include "common/log/log.h"

namespace cupola::route_emitter {

void RouteEmitterConfig::read(json::ObjectReader& r) {
  r.optional("listen_address", listen_address);
  r.optional("log_level", log_level);
  r.optional("bbs_url", bbs_url);
  r.optional("nats_servers", nats_servers);
  r.optional("register_interval", register_interval);
  r.optional("sync_interval", sync_interval);
}

void RouteEmitterConfig::validate(std::vector<std::string>& problems) const {
  if (auto hp = config::parse_host_port(listen_address); !hp) {
    problems.push_back("listen_address: " + hp.error().message);
  }
  if (!log::parse_level(log_level)) {
    problems.push_back("log_level: must be debug, info, error or fatal");
  }
  if (!bbs_url.starts_with("http://") && !bbs_url.starts_with("https://")) {
    problems.push_back("bbs_url: must be an http:// or https:// URL");
  }
  if (nats_servers.empty()) problems.push_back("nats_servers: name at least one server");
  if (register_interval < std::chrono::seconds(1)) {
    problems.push_back("register_interval: must be at least 1s");
  }
  if (sync_interval < std::chrono::seconds(1)) {
    problems.push_back("sync_interval: must be at least 1s");
  }
}

}  // namespace cupola::route_emitter
