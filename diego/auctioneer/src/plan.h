#pragma once

// The decisions of one auction round, pure (STYLE rule 3): which cell gets which work, what
// cannot be placed and why. The runner (auction_runner.h) does the I/O around them.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "diego/auction/types.h"
#include "diego/auctioneer/api/wire.h"

namespace cupola::auctioneer {

// The reason recorded for work every cell it was offered refused, try after try.
inline constexpr std::string_view kRefusedByCells = "refused by every cell it was offered";

struct LrpFailure {
  LrpWork lrp;
  std::string reason;
  bool operator==(const LrpFailure&) const = default;
};

struct TaskFailure {
  TaskWork task;
  std::string reason;
  bool operator==(const TaskFailure&) const = default;
};

struct RoundPlan {
  std::map<std::string, Work> by_cell;  // the work each winning cell is sent
  std::vector<LrpFailure> failed_lrps;
  std::vector<TaskFailure> failed_tasks;
};

// The scheduler's request for `pending`: one auction per LRP instance and per task.
auction::AuctionRequest to_auction_request(const Work& pending);

// The cells that refused each piece of work earlier in a batch: it is not offered to them
// again.
struct Refusals {
  std::map<std::pair<std::string, std::int32_t>, std::set<std::string>> lrps;
  std::map<std::string, std::set<std::string>> tasks;
  void add(const std::string& cell_id, const Work& refused);
};

// Runs the auction of `pending` on `cells`, never offering work to a cell that refused it.
// Work with the same refusals is auctioned together (work no cell refused first), each group
// against the cells as the earlier groups left them. Duplicates within a group are placed
// once.
RoundPlan plan_round(const Work& pending, std::vector<auction::CellState> cells,
                     const Refusals& refusals, const auction::Weights& weights);

// Failures for work still refused when the tries are used up.
RoundPlan give_up(const Work& refused);

}  // namespace cupola::auctioneer
