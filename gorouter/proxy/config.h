#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/json/json.h"

namespace cupola::router {

// cupola-router's configuration file (names follow gorouter's where it has one).
struct RouterConfig {
  std::string address = "0.0.0.0";                // where the proxy listens
  std::uint16_t port = 8080;                      // plain HTTP
  std::uint16_t tls_port = 0;                     // 0: no TLS listener
  std::string tls_cert_file;                      // PEM certificate chain, when tls_port is set
  std::string tls_key_file;                       // PEM private key
  std::string status_address = "127.0.0.1:8082";  // /health, /routes, /varz
  std::string status_user;                        // basic auth for /routes and /varz
  std::string status_password;
  std::string log_level = "info";
  std::vector<std::string> nats_servers{"nats://127.0.0.1:4222"};
  std::string router_id;  // "": a fresh GUID

  int threads = 0;                             // event loops; 0: one per core
  std::string load_balancing = "round-robin";  // or "least-connection"
  std::chrono::milliseconds droplet_stale_threshold{120'000};
  std::chrono::milliseconds prune_interval{30'000};
  std::chrono::milliseconds register_interval{20'000};  // what emitters are told
  std::chrono::milliseconds endpoint_timeout{900'000};  // backend response
  std::chrono::milliseconds endpoint_dial_timeout{5'000};
  std::chrono::milliseconds client_idle_timeout{900'000};  // between client requests
  std::chrono::milliseconds request_head_timeout{30'000};
  std::chrono::milliseconds drain_timeout{30'000};  // on SIGUSR1
  std::size_t max_header_bytes = 32 * 1024;
  std::size_t max_idle_backend_connections = 100;  // per backend, per loop
  std::string access_log_file;                     // "": none
  bool app_logs = true;  // each request's access log line to its app's logs (RTR), on NATS

  void read(json::ObjectReader& r);
  void validate(std::vector<std::string>& problems) const;
};

}  // namespace cupola::router
