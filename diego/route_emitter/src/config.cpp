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
  config::check_listen_address(problems, "listen_address", listen_address);
  config::check_log_level(problems, log_level);
  config::check_http_url(problems, "bbs_url", bbs_url);
  config::check_nats_servers(problems, nats_servers);
  if (register_interval < std::chrono::seconds(1)) {
    problems.push_back("register_interval: must be at least 1s");
  }
  if (sync_interval < std::chrono::seconds(1)) {
    problems.push_back("sync_interval: must be at least 1s");
  }
}

}  // namespace cupola::route_emitter
