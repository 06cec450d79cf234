#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/json/json.h"

namespace cupola::auctioneer {

// cupola-auctioneer's configuration file.
struct AuctioneerConfig {
  std::string listen_address = "127.0.0.1:9016";
  std::string log_level = "info";
  std::string bbs_url = "http://127.0.0.1:8889";
  std::vector<std::string> nats_servers{"nats://127.0.0.1:4222"};
  std::chrono::milliseconds batch_window{500};   // how long requests gather before an auction
  std::chrono::milliseconds rep_timeout{2'000};  // for each state and perform request
  int max_tries = 3;                             // rounds offering work a cell refused
  double starting_container_weight = 0.25;
  double bin_pack_first_fit_weight = 0.0;
  std::int64_t max_inflight_starts = 0;               // 0: no limit
  std::chrono::milliseconds startup_timeout{60'000};  // for NATS to answer
  // Active/passive: only the holder of the BBS lock "auctioneer" auctions.
  std::chrono::milliseconds lock_ttl{15'000};              // whole seconds
  std::chrono::milliseconds lock_refresh_interval{5'000};  // between refreshes and tries
  std::chrono::milliseconds lock_retry_interval{1'000};    // after a failed acquire

  void read(json::ObjectReader& r);
  void validate(std::vector<std::string>& problems) const;
};

}  // namespace cupola::auctioneer
