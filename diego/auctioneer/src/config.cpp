#include "diego/auctioneer/src/config.h"

#include "common/config/config.h"
#include "common/log/log.h"

namespace cupola::auctioneer {

void AuctioneerConfig::read(json::ObjectReader& r) {
  r.optional("listen_address", listen_address);
  r.optional("log_level", log_level);
  r.optional("bbs_url", bbs_url);
  r.optional("nats_servers", nats_servers);
  r.optional("batch_window", batch_window);
  r.optional("rep_timeout", rep_timeout);
  r.optional("max_tries", max_tries);
  r.optional("starting_container_weight", starting_container_weight);
  r.optional("bin_pack_first_fit_weight", bin_pack_first_fit_weight);
  r.optional("max_inflight_starts", max_inflight_starts);
  r.optional("startup_timeout", startup_timeout);
  r.optional("lock_ttl", lock_ttl);
  r.optional("lock_refresh_interval", lock_refresh_interval);
  r.optional("lock_retry_interval", lock_retry_interval);
}

void AuctioneerConfig::validate(std::vector<std::string>& problems) const {
  config::check_listen_address(problems, "listen_address", listen_address);
  config::check_log_level(problems, log_level);
  config::check_http_url(problems, "bbs_url", bbs_url);
  config::check_nats_servers(problems, nats_servers);
  if (batch_window < std::chrono::milliseconds(1)) {
    problems.push_back("batch_window: must be at least 1ms");
  }
  if (rep_timeout < std::chrono::milliseconds(10)) {
    problems.push_back("rep_timeout: must be at least 10ms");
  }
  if (max_tries < 1) problems.push_back("max_tries: must be at least 1");
  if (starting_container_weight < 0) {
    problems.push_back("starting_container_weight: must not be negative");
  }
  if (bin_pack_first_fit_weight < 0) {
    problems.push_back("bin_pack_first_fit_weight: must not be negative");
  }
  if (max_inflight_starts < 0) problems.push_back("max_inflight_starts: must not be negative");
  if (lock_ttl < std::chrono::seconds(1) || lock_ttl.count() % 1000 != 0) {
    problems.push_back("lock_ttl: must be a whole number of seconds, at least 1s");
  }
  if (lock_refresh_interval < std::chrono::milliseconds(10) || lock_refresh_interval >= lock_ttl) {
    problems.push_back("lock_refresh_interval: must be at least 10ms and less than lock_ttl");
  }
  if (lock_retry_interval < std::chrono::milliseconds(10)) {
    problems.push_back("lock_retry_interval: must be at least 10ms");
  }
}

}  // namespace cupola::auctioneer
