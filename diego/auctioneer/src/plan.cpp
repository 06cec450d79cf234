#include "diego/auctioneer/src/plan.h"

#include <algorithm>

#include "diego/auction/scheduler.h"

namespace cupola::auctioneer {

auction::AuctionRequest to_auction_request(const Work& pending) {
  auction::AuctionRequest r;
  r.lrps.reserve(pending.lrps.size());
  for (const auto& l : pending.lrps) {
    r.lrps.push_back({l.process_guid,
                      l.domain,
                      {l.index},
                      {l.memory_mb, l.disk_mb, l.max_pids},
                      {l.root_fs, l.placement_tags, {}}});
  }
  r.tasks.reserve(pending.tasks.size());
  for (const auto& t : pending.tasks) {
    r.tasks.push_back({t.task_guid,
                       t.domain,
                       {t.memory_mb, t.disk_mb, t.max_pids},
                       {t.root_fs, t.placement_tags, {}}});
  }
  return r;
}

void Refusals::add(const std::string& cell_id, const Work& refused) {
  for (const auto& l : refused.lrps) lrps[{l.process_guid, l.index}].insert(cell_id);
  for (const auto& t : refused.tasks) tasks[t.task_guid].insert(cell_id);
}

namespace {

// Charges a placement to its cell so later groups see what earlier ones took.
void charge(std::vector<auction::CellState>& cells, const std::string& cell_id,
            std::int64_t memory_mb, std::int64_t disk_mb) {
  for (auto& c : cells) {
    if (c.cell_id != cell_id) continue;
    c.available.memory_mb -= memory_mb;
    c.available.disk_mb -= disk_mb;
    c.available.containers -= 1;
    c.starting_containers += 1;
    return;
  }
}

void plan_group(const Work& group, const std::set<std::string>& excluded,
                std::vector<auction::CellState>& cells, const auction::Weights& weights,
                RoundPlan& plan) {
  auto eligible = cells;
  std::erase_if(eligible,
                [&](const auction::CellState& c) { return excluded.contains(c.cell_id); });
  auto results = auction::schedule(to_auction_request(group), std::move(eligible), weights);
  for (const auto& p : results.lrps) {
    const auto& l = group.lrps[p.lrp];
    plan.by_cell[p.cell_id].lrps.push_back(l);
    charge(cells, p.cell_id, l.memory_mb, l.disk_mb);
    for (auto& c : cells) {
      if (c.cell_id == p.cell_id) c.lrps.push_back({l.process_guid, l.index});
    }
  }
  for (const auto& p : results.tasks) {
    const auto& t = group.tasks[p.task];
    plan.by_cell[p.cell_id].tasks.push_back(t);
    charge(cells, p.cell_id, t.memory_mb, t.disk_mb);
    for (auto& c : cells) {
      if (c.cell_id == p.cell_id) c.tasks.push_back(t.task_guid);
    }
  }
  for (const auto& f : results.failed_lrps) {
    plan.failed_lrps.push_back({group.lrps[f.lrp], f.reason});
  }
  for (const auto& f : results.failed_tasks) {
    plan.failed_tasks.push_back({group.tasks[f.task], f.reason});
  }
}

}  // namespace

RoundPlan plan_round(const Work& pending, std::vector<auction::CellState> cells,
                     const Refusals& refusals, const auction::Weights& weights) {
  std::map<std::set<std::string>, Work> groups;  // the empty set (no refusals) sorts first
  static const std::set<std::string> kNone;
  for (const auto& l : pending.lrps) {
    auto it = refusals.lrps.find({l.process_guid, l.index});
    groups[it == refusals.lrps.end() ? kNone : it->second].lrps.push_back(l);
  }
  for (const auto& t : pending.tasks) {
    auto it = refusals.tasks.find(t.task_guid);
    groups[it == refusals.tasks.end() ? kNone : it->second].tasks.push_back(t);
  }
  RoundPlan plan;
  for (const auto& [excluded, group] : groups) plan_group(group, excluded, cells, weights, plan);
  return plan;
}

RoundPlan give_up(const Work& refused) {
  RoundPlan plan;
  for (const auto& l : refused.lrps) plan.failed_lrps.push_back({l, std::string(kRefusedByCells)});
  for (const auto& t : refused.tasks) {
    plan.failed_tasks.push_back({t, std::string(kRefusedByCells)});
  }
  return plan;
}

}  // namespace cupola::auctioneer
