#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bbs/src/controllers/outbound.h"
#include "bbs/src/db/cell_db.h"
#include "common/core/clock.h"
#include "common/http/client/client.h"
#include "common/log/log.h"

namespace cupola::bbs {

// AuctioneerClient over the auctioneer's HTTP API: POST <base_url>/v1/lrps {"lrps": [...]} and
// POST <base_url>/v1/tasks {"tasks": [...]}. Fire and forget: each call spawns its POST on
// the client's executor and returns; a failure or a non-2xx answer is logged (convergence
// sends the requests again). `client` must outlive every POST in flight.
//
// With discovery, the auctioneer's URL is the value the active auctioneer publishes with the
// BBS lock `key`: looked up before a POST and reused for `cache_for`; a failed POST or a
// non-2xx answer (a passive auctioneer answers 503) forgets it. No holder: the requests are
// dropped and logged. `locks` and `clock` must outlive the client.
struct AuctioneerDiscovery {
  LockDb& locks;
  const Clock& clock;
  std::string key = "auctioneer";
  std::chrono::milliseconds cache_for{3'000};
};

class HttpAuctioneerClient final : public AuctioneerClient {
 public:
  // `base_url`: "http://host:port" (a trailing slash is ignored).
  HttpAuctioneerClient(http::Client& client, std::string base_url, log::Logger log);
  HttpAuctioneerClient(http::Client& client, AuctioneerDiscovery discovery, log::Logger log);

  // AuctioneerClient
  void request_lrp_auctions(std::vector<LrpStartRequest> requests) override;
  void request_task_auctions(std::vector<TaskStartRequest> tasks) override;

 private:
  void post(std::string path, std::string body, std::size_t count);
  // The base URL to post to: the configured one, or the discovered one.
  boost::asio::awaitable<Result<std::string>> base_url();

  http::Client& client_;
  std::string base_url_;
  log::Logger log_;
  LockDb* locks_ = nullptr;  // set when discovering
  const Clock* clock_ = nullptr;
  std::string lock_key_;
  std::chrono::milliseconds cache_for_{0};
  Clock::time_point cached_until_{};
};

// The request bodies, for tests: {"lrps": [...]} and {"tasks": [...]}.
std::string lrp_auctions_json(const std::vector<LrpStartRequest>& requests);
std::string task_auctions_json(const std::vector<TaskStartRequest>& tasks);

}  // namespace cupola::bbs
