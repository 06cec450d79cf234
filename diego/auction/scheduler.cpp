#include "diego/auction/scheduler.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "diego/auction/fleet.h"
#include "diego/auction/reasons.h"
#include "diego/auction/scorer.h"

namespace cupola::auction {
namespace {

struct LrpAuction {
  std::size_t lrp;
  std::int32_t index;
};

// One schedule() call: the fleet, the running count of starts, the results so far.
class Auction {
 public:
  Auction(const AuctionRequest& request, std::vector<CellState> cells, const Weights& weights)
      : request_(request), weights_(weights), fleet_(std::move(cells), request.lrps) {
    inflight_ = fleet_.starting_containers();
    same_process_.assign(fleet_.size(), 0);
  }

  void place_lrp(const LrpAuction& a) {
    const LrpStart& lrp = request_.lrps[a.lrp];
    const Fleet::Eligible* compatible = nullptr;
    if (auto reason = precheck(lrp.constraint, compatible)) {
      return fail_lrp(a, std::move(*reason));
    }
    const Fleet::Eligible& eligible = *compatible;
    const std::int32_t process = fleet_.process_id(lrp.process_guid);
    assert(process >= 0);  // the fleet numbers every process of the request

    // Zones with compatible cells, fewest instances of the process first.
    zones_.clear();
    for (std::size_t z = 0; z < eligible.by_zone.size(); ++z) {
      if (eligible.by_zone[z].empty()) continue;
      zones_.emplace_back(fleet_.process_zones(process)[z], static_cast<std::int32_t>(z));
    }
    std::sort(zones_.begin(), zones_.end());

    const auto& holders = fleet_.process_cells(process);
    for (const auto& [cell, count] : holders) same_process_[cell] = count;
    std::int32_t winner = -1;
    double best = std::numeric_limits<double>::infinity();
    std::uint8_t problems = kAllProblems;
    for (std::size_t i = 0; i < zones_.size(); ++i) {
      for (const std::int32_t cell : eligible.by_zone[zones_[i].second]) {
        const CellLoad& load = fleet_.load(cell);
        if (const auto p = resource_problems(load.available, lrp.demand); p != kNoProblem) {
          problems &= p;
          continue;
        }
        const double score = lrp_score(load, lrp.demand, same_process_[cell], weights_);
        if (score < best) {
          best = score;
          winner = cell;
        }
      }
      const bool next_zone_ties = i + 1 < zones_.size() && zones_[i + 1].first == zones_[i].first;
      if (winner >= 0 && !next_zone_ties) break;
    }
    for (const auto& [cell, count] : holders) same_process_[cell] = 0;

    if (winner < 0) return fail_lrp(a, insufficient_resources(problems));
    reserve_lrp(fleet_.load(winner), lrp.demand);
    fleet_.add_instance(process, winner);
    ++inflight_;
    results_.lrps.push_back({a.lrp, lrp.process_guid, a.index, fleet_.cell_id(winner)});
  }

  void place_task(std::size_t t) {
    const TaskStart& task = request_.tasks[t];
    const Fleet::Eligible* compatible = nullptr;
    if (auto reason = precheck(task.constraint, compatible)) {
      return fail_task(t, std::move(*reason));
    }
    std::int32_t winner = -1;
    double best = std::numeric_limits<double>::infinity();
    std::uint8_t problems = kAllProblems;
    for (const auto& zone : compatible->by_zone) {
      for (const std::int32_t cell : zone) {
        const CellLoad& load = fleet_.load(cell);
        if (const auto p = resource_problems(load.available, task.demand); p != kNoProblem) {
          problems &= p;
          continue;
        }
        const double score = task_score(load, task.demand, weights_);
        if (score < best) {
          best = score;
          winner = cell;
        }
      }
    }
    if (winner < 0) return fail_task(t, insufficient_resources(problems));
    reserve_task(fleet_.load(winner), task.demand);
    ++inflight_;
    results_.tasks.push_back({t, task.task_guid, fleet_.cell_id(winner)});
  }

  AuctionResults take_results() { return std::move(results_); }

 private:
  // The failures that do not depend on resources, checked in Diego's order. On success
  // `compatible` is set to the cells the constraint admits.
  std::optional<std::string> precheck(const PlacementConstraint& constraint,
                                      const Fleet::Eligible*& compatible) {
    if (fleet_.empty()) return std::string{kNoCells};
    if (weights_.max_inflight_starts > 0 && inflight_ >= weights_.max_inflight_starts) {
      return std::string{kInflightLimit};
    }
    const Fleet::Eligible& eligible = fleet_.eligible(constraint);
    if (eligible.furthest != Mismatch::None) return mismatch_reason(eligible.furthest, constraint);
    compatible = &eligible;
    return std::nullopt;
  }

  void fail_lrp(const LrpAuction& a, std::string reason) {
    results_.failed_lrps.push_back(
        {a.lrp, request_.lrps[a.lrp].process_guid, a.index, std::move(reason)});
  }

  void fail_task(std::size_t t, std::string reason) {
    results_.failed_tasks.push_back({t, request_.tasks[t].task_guid, std::move(reason)});
  }

  const AuctionRequest& request_;
  const Weights weights_;
  Fleet fleet_;
  std::int64_t inflight_ = 0;
  std::vector<std::int32_t> same_process_;  // per cell; nonzero only while scoring one LRP
  std::vector<std::pair<std::int32_t, std::int32_t>> zones_;  // (instances, zone) scratch
  AuctionResults results_;
};

std::vector<LrpAuction> lrp_auctions(const AuctionRequest& request) {
  std::vector<LrpAuction> auctions;
  std::set<std::pair<std::string_view, std::int32_t>> seen;
  for (std::size_t i = 0; i < request.lrps.size(); ++i) {
    for (const std::int32_t index : request.lrps[i].indices) {
      if (seen.emplace(request.lrps[i].process_guid, index).second) auctions.push_back({i, index});
    }
  }
  std::stable_sort(auctions.begin(), auctions.end(), [&](const auto& a, const auto& b) {
    return std::tuple{a.index, -request.lrps[a.lrp].demand.memory_mb} <
           std::tuple{b.index, -request.lrps[b.lrp].demand.memory_mb};
  });
  return auctions;
}

std::vector<std::size_t> task_auctions(const AuctionRequest& request) {
  std::vector<std::size_t> auctions;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < request.tasks.size(); ++i) {
    if (seen.emplace(request.tasks[i].task_guid).second) auctions.push_back(i);
  }
  std::stable_sort(auctions.begin(), auctions.end(), [&](std::size_t a, std::size_t b) {
    return request.tasks[a].demand.memory_mb > request.tasks[b].demand.memory_mb;
  });
  return auctions;
}

}  // namespace

AuctionResults schedule(const AuctionRequest& request, std::vector<CellState> cells,
                        const Weights& weights) {
  const std::vector<LrpAuction> lrps = lrp_auctions(request);
  const std::vector<std::size_t> tasks = task_auctions(request);
  Auction auction(request, std::move(cells), weights);

  const auto first_later_index =
      std::find_if(lrps.begin(), lrps.end(), [](const LrpAuction& a) { return a.index > 0; });
  std::for_each(lrps.begin(), first_later_index, [&](const auto& a) { auction.place_lrp(a); });
  for (const std::size_t t : tasks) auction.place_task(t);
  std::for_each(first_later_index, lrps.end(), [&](const auto& a) { auction.place_lrp(a); });
  return auction.take_results();
}

}  // namespace cupola::auction
