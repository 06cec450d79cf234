#pragma once

#include <string>
#include <vector>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/task.h"
#include "bbs/src/convergence/lrp_convergence.h"
#include "bbs/src/convergence/task_convergence.h"

namespace cupola::bbs {

// Where start requests go: the auctioneer. Fire and forget — a request that is lost is
// sent again by convergence (stale UNCLAIMED instances, PENDING tasks). Called on the BBS's
// executor; must not block.
class AuctioneerClient {
 public:
  virtual ~AuctioneerClient() = default;
  virtual void request_lrp_auctions(std::vector<LrpStartRequest> requests) = 0;
  virtual void request_task_auctions(std::vector<TaskStartRequest> tasks) = 0;
};

// Messages to the rep of one cell. Fire and forget, like the auctioneer's.
class RepClient {
 public:
  virtual ~RepClient() = default;
  virtual void stop_lrp_instance(const ActualLrp& lrp) = 0;
  virtual void cancel_task(const std::string& cell_id, const std::string& task_guid) = 0;
};

// Used until an auctioneer is configured: the requests wait, and convergence sends them
// again once one is.
class PendingAuctioneerClient final : public AuctioneerClient {
 public:
  void request_lrp_auctions(std::vector<LrpStartRequest> requests) override {
    lrp_requests += requests.size();
  }
  void request_task_auctions(std::vector<TaskStartRequest> tasks) override {
    task_requests += tasks.size();
  }
  std::size_t lrp_requests = 0;
  std::size_t task_requests = 0;
};

}  // namespace cupola::bbs
