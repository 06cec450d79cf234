#pragma once

#include <string>
#include <vector>

#include "bbs/src/controllers/outbound.h"
#include "common/http/client/client.h"
#include "common/log/log.h"

namespace cupola::bbs {

// AuctioneerClient over the auctioneer's HTTP API: POST <base_url>/v1/lrps {"lrps": [...]} and
// POST <base_url>/v1/tasks {"tasks": [...]}. Fire and forget: each call spawns its POST on
// the client's executor and returns; a failure or a non-2xx answer is logged (convergence
// sends the requests again). `client` must outlive every POST in flight.
class HttpAuctioneerClient final : public AuctioneerClient {
 public:
  // `base_url`: "http://host:port" (a trailing slash is ignored).
  HttpAuctioneerClient(http::Client& client, std::string base_url, log::Logger log);

  // AuctioneerClient
  void request_lrp_auctions(std::vector<LrpStartRequest> requests) override;
  void request_task_auctions(std::vector<TaskStartRequest> tasks) override;

 private:
  void post(std::string path, std::string body, std::size_t count);

  http::Client& client_;
  std::string base_url_;
  log::Logger log_;
};

// The request bodies, for tests: {"lrps": [...]} and {"tasks": [...]}.
std::string lrp_auctions_json(const std::vector<LrpStartRequest>& requests);
std::string task_auctions_json(const std::vector<TaskStartRequest>& tasks);

}  // namespace cupola::bbs
