#include "gorouter/proxy/config.h"

#include "common/config/config.h"
#include "common/log/log.h"

namespace cupola::router {

void RouterConfig::read(json::ObjectReader& r) {
  r.optional("address", address);
  unsigned p = port, tp = tls_port;
  r.optional("port", p);
  r.optional("tls_port", tp);
  port = static_cast<std::uint16_t>(p);
  tls_port = static_cast<std::uint16_t>(tp);
  r.optional("tls_cert_file", tls_cert_file);
  r.optional("tls_key_file", tls_key_file);
  r.optional("status_address", status_address);
  r.optional("status_user", status_user);
  r.optional("status_password", status_password);
  r.optional("log_level", log_level);
  r.optional("nats_servers", nats_servers);
  r.optional("router_id", router_id);
  r.optional("threads", threads);
  r.optional("load_balancing", load_balancing);
  r.optional("droplet_stale_threshold", droplet_stale_threshold);
  r.optional("prune_interval", prune_interval);
  r.optional("register_interval", register_interval);
  r.optional("endpoint_timeout", endpoint_timeout);
  r.optional("endpoint_dial_timeout", endpoint_dial_timeout);
  r.optional("client_idle_timeout", client_idle_timeout);
  r.optional("request_head_timeout", request_head_timeout);
  r.optional("drain_timeout", drain_timeout);
  std::uint64_t header_bytes = max_header_bytes, idle = max_idle_backend_connections;
  r.optional("max_header_bytes", header_bytes);
  r.optional("max_idle_backend_connections", idle);
  max_header_bytes = header_bytes;
  max_idle_backend_connections = idle;
  r.optional("access_log_file", access_log_file);
  r.optional("app_logs", app_logs);
  if (p > 65535) r.problem("port", "must be at most 65535");
  if (tp > 65535) r.problem("tls_port", "must be at most 65535");
}

void RouterConfig::validate(std::vector<std::string>& problems) const {
  using std::chrono::milliseconds;
  if (port == 0) problems.push_back("port: is required");
  if (tls_port != 0 && (tls_cert_file.empty() || tls_key_file.empty())) {
    problems.push_back("tls_cert_file, tls_key_file: both are required with tls_port");
  }
  config::check_listen_address(problems, "status_address", status_address);
  if (status_user.empty() != status_password.empty()) {
    problems.push_back("status_user, status_password: set both or neither");
  }
  config::check_log_level(problems, log_level);
  config::check_nats_servers(problems, nats_servers);
  if (threads < 0 || threads > 256) problems.push_back("threads: must be 0 to 256");
  if (load_balancing != "round-robin" && load_balancing != "least-connection") {
    problems.push_back("load_balancing: must be round-robin or least-connection");
  }
  for (auto [name, value] : {std::pair{"droplet_stale_threshold", droplet_stale_threshold},
                             std::pair{"prune_interval", prune_interval},
                             std::pair{"register_interval", register_interval},
                             std::pair{"endpoint_timeout", endpoint_timeout},
                             std::pair{"endpoint_dial_timeout", endpoint_dial_timeout},
                             std::pair{"client_idle_timeout", client_idle_timeout},
                             std::pair{"request_head_timeout", request_head_timeout}}) {
    if (value < milliseconds(10)) problems.push_back(std::string(name) + ": must be at least 10ms");
  }
  if (register_interval.count() % 1000 != 0 || droplet_stale_threshold.count() % 1000 != 0) {
    problems.push_back("register_interval, droplet_stale_threshold: whole seconds");
  }
  if (max_header_bytes < 1024) problems.push_back("max_header_bytes: must be at least 1024");
}

}  // namespace cupola::router
