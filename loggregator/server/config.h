#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "common/json/json.h"

namespace cupola::logstore {

// cupola-logstore's configuration file.
struct LogstoreConfig {
  std::string listen_address = "127.0.0.1:8083";  // the read API, /healthz, /varz
  std::string log_level = "info";
  std::vector<std::string> nats_servers{"nats://127.0.0.1:4222"};
  // Log stores sharing this queue group share the load: each batch reaches one of them.
  std::string queue_group = "logstore";
  std::size_t max_per_source = 100'000;              // envelopes kept per source id
  std::size_t max_bytes = 256 * 1024 * 1024;         // all sources together, approximately
  std::size_t tail_queue = 10'000;                   // envelopes a slow tail may fall behind by
  std::chrono::milliseconds tail_heartbeat{15'000};  // a quiet tail says it is alive this often
  // Where tokens are checked: the token server's /token_keys, and the Cloud Controller,
  // which says which apps a user may see.
  std::string uaa_url = "http://127.0.0.1:9022";
  std::string cc_url = "http://127.0.0.1:9022";
  // Holders of any of these scopes read every source.
  std::vector<std::string> admin_scopes{"logs.admin", "doppler.firehose", "cloud_controller.admin",
                                        "cloud_controller.admin_read_only"};
  std::chrono::milliseconds access_cache_ttl{10'000};  // how long a Cloud Controller answer holds
  // Hostnames the routers send to this process (log-cache. of the system domain).
  std::vector<std::string> routes;

  void read(json::ObjectReader& r);
  void validate(std::vector<std::string>& problems) const;
};

}  // namespace cupola::logstore
