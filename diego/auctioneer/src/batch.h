#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "diego/auctioneer/api/wire.h"

namespace cupola::auctioneer {

// The start requests gathered for the next auction. Pure. A request for an LRP instance
// (process_guid, index) or a task (task_guid) already held replaces the earlier one, keeping
// its position: the BBS re-sends what it still wants started, and the newest copy wins.
class Batch {
 public:
  void add(Work work);
  bool empty() const { return lrps_.empty() && tasks_.empty(); }
  std::size_t size() const { return lrps_.size() + tasks_.size(); }
  // Everything held, in first-arrival order; leaves the batch empty.
  Work take();

 private:
  std::map<std::pair<std::string, std::int32_t>, std::size_t> lrp_at_;
  std::map<std::string, std::size_t> task_at_;
  std::vector<LrpWork> lrps_;
  std::vector<TaskWork> tasks_;
};

}  // namespace cupola::auctioneer
