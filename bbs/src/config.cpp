#include "bbs/src/config.h"

#include "common/config/config.h"
#include "common/log/log.h"

namespace cupola::bbs {

void BbsConfig::read(json::ObjectReader& r) {
  r.optional("listen_address", listen_address);
  r.optional("log_level", log_level);
  r.required("database", database);
  r.optional("database_max_connections", database_max_connections);
  r.optional("nats_servers", nats_servers);
  r.optional("auctioneer_url", auctioneer_url);
  r.optional("discover_auctioneer", discover_auctioneer);
  r.optional("converge_interval", converge_interval);
  r.optional("cell_check_interval", cell_check_interval);
  r.optional("startup_timeout", startup_timeout);
  std::uint64_t body = max_body_bytes;
  r.optional("max_body_bytes", body);
  max_body_bytes = body;
}

void BbsConfig::validate(std::vector<std::string>& problems) const {
  config::check_listen_address(problems, "listen_address", listen_address);
  config::check_log_level(problems, log_level);
  if (database_max_connections < 1) {
    problems.push_back("database_max_connections: must be at least 1");
  }
  if (!auctioneer_url.empty() && !auctioneer_url.starts_with("http://") &&
      !auctioneer_url.starts_with("https://")) {
    problems.push_back("auctioneer_url: must be an http:// or https:// URL");
  }
  if (discover_auctioneer && !auctioneer_url.empty()) {
    problems.push_back("discover_auctioneer: set either it or auctioneer_url, not both");
  }
  config::check_nats_servers(problems, nats_servers);
  if (converge_interval < std::chrono::seconds(1)) {
    problems.push_back("converge_interval: must be at least 1s");
  }
  if (cell_check_interval < std::chrono::milliseconds(100)) {
    problems.push_back("cell_check_interval: must be at least 100ms");
  }
  if (max_body_bytes < 1024) problems.push_back("max_body_bytes: must be at least 1024");
}

}  // namespace cupola::bbs
