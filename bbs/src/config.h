#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/json/json.h"

namespace cupola::bbs {

// cupola-bbs's configuration file.
struct BbsConfig {
  std::string listen_address = "127.0.0.1:8889";
  std::string log_level = "info";
  std::string database;  // libpq conninfo of the "bbs" database
  int database_max_connections = 8;
  std::vector<std::string> nats_servers{"nats://127.0.0.1:4222"};
  // Where start requests go ("http://127.0.0.1:9016"); empty: none yet, the requests wait
  // for convergence to send them again once one is configured.
  std::string auctioneer_url;
  // Instead of auctioneer_url: send start requests to the URL the active auctioneer
  // publishes with the BBS lock "auctioneer".
  bool discover_auctioneer = false;
  std::chrono::milliseconds converge_interval{30'000};
  std::chrono::milliseconds cell_check_interval{1'000};
  std::chrono::milliseconds startup_timeout{60'000};  // for Postgres and NATS to answer
  std::size_t max_body_bytes = 1 << 20;

  void read(json::ObjectReader& r);
  void validate(std::vector<std::string>& problems) const;
};

}  // namespace cupola::bbs
