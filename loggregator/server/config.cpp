#include "loggregator/server/config.h"

#include "common/config/config.h"

namespace cupola::logstore {

void LogstoreConfig::read(json::ObjectReader& r) {
  r.optional("listen_address", listen_address);
  r.optional("log_level", log_level);
  r.optional("nats_servers", nats_servers);
  r.optional("queue_group", queue_group);
  r.optional("max_per_source", max_per_source);
  r.optional("max_bytes", max_bytes);
  r.optional("tail_queue", tail_queue);
  r.optional("tail_heartbeat", tail_heartbeat);
  r.optional("uaa_url", uaa_url);
  r.optional("cc_url", cc_url);
  r.optional("admin_scopes", admin_scopes);
  r.optional("access_cache_ttl", access_cache_ttl);
  r.optional("routes", routes);
}

void LogstoreConfig::validate(std::vector<std::string>& problems) const {
  config::check_listen_address(problems, "listen_address", listen_address);
  config::check_log_level(problems, log_level);
  config::check_nats_servers(problems, nats_servers);
  config::check_http_url(problems, "uaa_url", uaa_url);
  config::check_http_url(problems, "cc_url", cc_url);
  if (queue_group.empty()) problems.push_back("queue_group: must not be empty");
  if (max_per_source < 1) problems.push_back("max_per_source: must be at least 1");
  if (max_bytes < 1024 * 1024) problems.push_back("max_bytes: must be at least 1 MiB");
  if (tail_queue < 100) problems.push_back("tail_queue: must be at least 100");
  if (tail_heartbeat < std::chrono::milliseconds(100)) {
    problems.push_back("tail_heartbeat: must be at least 100ms");
  }
  if (access_cache_ttl < std::chrono::milliseconds(0)) {
    problems.push_back("access_cache_ttl: must not be negative");
  }
}

}  // namespace cupola::logstore
