#include "diego/auctioneer/src/batch.h"

namespace cupola::auctioneer {

void Batch::add(Work work) {
  for (auto& l : work.lrps) {
    auto [it, fresh] = lrp_at_.try_emplace({l.process_guid, l.index}, lrps_.size());
    if (fresh) {
      lrps_.push_back(std::move(l));
    } else {
      lrps_[it->second] = std::move(l);
    }
  }
  for (auto& t : work.tasks) {
    auto [it, fresh] = task_at_.try_emplace(t.task_guid, tasks_.size());
    if (fresh) {
      tasks_.push_back(std::move(t));
    } else {
      tasks_[it->second] = std::move(t);
    }
  }
}

Work Batch::take() {
  Work w{std::move(lrps_), std::move(tasks_)};
  lrps_.clear();
  tasks_.clear();
  lrp_at_.clear();
  task_at_.clear();
  return w;
}

}  // namespace cupola::auctioneer
