#include "diego/rep/src/config.h"

#include "common/config/config.h"
#include "common/log/log.h"

namespace cupola::rep {

void RepConfig::read(json::ObjectReader& r) {
  r.optional("cell_id", cell_id);
  r.optional("zone", zone);
  r.optional("listen_address", listen_address);
  r.optional("log_level", log_level);
  r.optional("bbs_url", bbs_url);
  r.optional("nats_servers", nats_servers);
  r.optional("memory_mb", memory_mb);
  r.optional("disk_mb", disk_mb);
  r.optional("max_containers", max_containers);
  r.optional("stacks", stacks);
  r.optional("placement_tags", placement_tags);
  r.optional("optional_placement_tags", optional_placement_tags);
  r.optional("backend", backend);
  r.optional("depot_dir", depot_dir);
  r.optional("stack_dir", stack_dir);
  r.optional("lifecycle_dir", lifecycle_dir);
  r.optional("cache_dir", cache_dir);
  r.optional("cache_max_mb", cache_max_mb);
  r.optional("host_address", host_address);
  r.optional("first_port", first_port);
  r.optional("last_port", last_port);
  r.optional("presence_ttl", presence_ttl);
  r.optional("heartbeat_interval", heartbeat_interval);
  r.optional("reconcile_interval", reconcile_interval);
  r.optional("stop_grace", stop_grace);
  r.optional("default_start_timeout", default_start_timeout);
  r.optional("unhealthy_interval", unhealthy_interval);
  r.optional("healthy_interval", healthy_interval);
  r.optional("evacuation_timeout", evacuation_timeout);
  r.optional("metrics_interval", metrics_interval);
}

void RepConfig::validate(std::vector<std::string>& problems) const {
  using std::chrono::milliseconds;
  if (cell_id.empty()) problems.push_back("cell_id: is required");
  for (char c : cell_id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      problems.push_back("cell_id: use only letters, digits, '-' and '_'");
      break;
    }
  }
  config::check_listen_address(problems, "listen_address", listen_address);
  config::check_log_level(problems, log_level);
  config::check_http_url(problems, "bbs_url", bbs_url);
  config::check_nats_servers(problems, nats_servers);
  if (memory_mb < 0) problems.push_back("memory_mb: must not be negative");
  if (disk_mb < 0) problems.push_back("disk_mb: must not be negative");
  if (max_containers < 1) problems.push_back("max_containers: must be at least 1");
  if (backend != "auto" && backend != "runc" && backend != "process") {
    problems.push_back("backend: must be auto, runc or process");
  }
  if (depot_dir.empty()) problems.push_back("depot_dir: is required");
  if (cache_max_mb < 1) problems.push_back("cache_max_mb: must be at least 1");
  if (host_address.empty()) problems.push_back("host_address: is required");
  if (first_port < 1024 || last_port > 65535 || first_port > last_port) {
    problems.push_back("first_port, last_port: must be a range within 1024-65535");
  }
  if (presence_ttl < std::chrono::seconds(1) || presence_ttl.count() % 1000 != 0) {
    problems.push_back("presence_ttl: must be a whole number of seconds, at least 1s");
  }
  if (heartbeat_interval < milliseconds(10) || heartbeat_interval >= presence_ttl) {
    problems.push_back("heartbeat_interval: must be at least 10ms and less than presence_ttl");
  }
  for (auto [name, value] : {std::pair{"reconcile_interval", reconcile_interval},
                             std::pair{"default_start_timeout", default_start_timeout},
                             std::pair{"unhealthy_interval", unhealthy_interval},
                             std::pair{"healthy_interval", healthy_interval},
                             std::pair{"metrics_interval", metrics_interval}}) {
    if (value < milliseconds(10)) problems.push_back(std::string(name) + ": must be at least 10ms");
  }
  if (stop_grace < milliseconds(0)) problems.push_back("stop_grace: must not be negative");
  if (evacuation_timeout < milliseconds(0)) {
    problems.push_back("evacuation_timeout: must not be negative");
  }
}

}  // namespace cupola::rep
