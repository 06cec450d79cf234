#pragma once

// The data of one auction: what to place, the cells to place it on, and the outcome.
// Plain values with no behaviour; the rules live in constraints.h, scorer.h and scheduler.h.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cupola::auction {

// Memory and disk in MB, containers as a count. A cell's `available` may go negative when the
// cell reports more work than its total; such a cell simply fits nothing.
struct Resources {
  std::int64_t memory_mb = 0;
  std::int64_t disk_mb = 0;
  std::int64_t containers = 0;
  bool operator==(const Resources&) const = default;
};

// What a start asks of a cell besides one container.
struct Demand {
  std::int64_t memory_mb = 0;
  std::int64_t disk_mb = 0;
  std::int32_t max_pids = 0;  // carried to the cell; not a placement criterion
  bool operator==(const Demand&) const = default;
};

// Where a piece of work may run. `root_fs` is a URL: "preloaded:<stack>" (also
// "preloaded+layer:<stack>?...") needs a cell that has the stack; any other scheme (e.g.
// "docker:///busybox") needs a cell that lists the scheme in `image_schemes`.
struct PlacementConstraint {
  std::string root_fs;
  std::vector<std::string> placement_tags;  // must match the cell's tags exactly (see below)
  std::vector<std::string> volume_drivers;  // every one must be on the cell
  bool operator==(const PlacementConstraint&) const = default;
};

// Instances of one LRP to start: one auction per element of `indices`.
struct LrpStart {
  std::string process_guid;
  std::string domain;
  std::vector<std::int32_t> indices;
  Demand demand;
  PlacementConstraint constraint;
  bool operator==(const LrpStart&) const = default;
};

struct TaskStart {
  std::string task_guid;
  std::string domain;
  Demand demand;
  PlacementConstraint constraint;
  bool operator==(const TaskStart&) const = default;
};

struct AuctionRequest {
  std::vector<LrpStart> lrps;
  std::vector<TaskStart> tasks;
};

// An LRP instance a cell already runs (or has been given).
struct CellLrp {
  std::string process_guid;
  std::int32_t index = 0;
  bool operator==(const CellLrp&) const = default;
};

// A cell as its rep reported it. Only `cell_id` needs to be unique.
struct CellState {
  std::string cell_id;
  std::string zone;
  Resources total;
  Resources available;
  std::vector<std::string> stacks;          // preloaded root filesystems, e.g. "cflinuxfs4"
  std::vector<std::string> image_schemes;   // root_fs schemes accepted with any URL, e.g. "docker"
  std::vector<std::string> volume_drivers;  // e.g. "nfsv3driver"
  std::vector<std::string> placement_tags;  // required: work must ask for every one of them
  std::vector<std::string> optional_placement_tags;  // allowed: work may ask for them
  bool evacuating = false;                           // takes no work at all
  std::int64_t starting_containers = 0;              // containers still being created
  std::vector<CellLrp> lrps;
  std::vector<std::string> tasks;  // task guids
  bool operator==(const CellState&) const = default;
};

// Knobs of the scoring, named and defaulted as in Diego's auctioneer.
struct Weights {
  // Added to a cell's score per container it is still starting (auctioneer default 0.25).
  double starting_container = 0.25;
  // Added per position of the cell in its zone (cells ordered by cell_id); 0 disables
  // bin-packing. Only LRPs use it.
  double bin_pack_first_fit = 0.0;
  // Starts allowed in flight across all cells, counting `starting_containers` and this
  // batch's placements; 0 means no limit.
  std::int64_t max_inflight_starts = 0;
};

struct LrpPlacement {
  std::size_t lrp = 0;  // position in AuctionRequest::lrps
  std::string process_guid;
  std::int32_t index = 0;
  std::string cell_id;
  bool operator==(const LrpPlacement&) const = default;
};

struct TaskPlacement {
  std::size_t task = 0;  // position in AuctionRequest::tasks
  std::string task_guid;
  std::string cell_id;
  bool operator==(const TaskPlacement&) const = default;
};

struct LrpFailure {
  std::size_t lrp = 0;
  std::string process_guid;
  std::int32_t index = 0;
  std::string reason;  // Cloud Foundry's placement error text, see reasons.h
  bool operator==(const LrpFailure&) const = default;
};

struct TaskFailure {
  std::size_t task = 0;
  std::string task_guid;
  std::string reason;
  bool operator==(const TaskFailure&) const = default;
};

// Every auction of the request appears exactly once, in a placement or a failure, except
// duplicates (the same process_guid and index, or the same task_guid, again), which are
// dropped. Each vector is in the order the auctions were decided (see scheduler.h).
struct AuctionResults {
  std::vector<LrpPlacement> lrps;
  std::vector<TaskPlacement> tasks;
  std::vector<LrpFailure> failed_lrps;
  std::vector<TaskFailure> failed_tasks;
};

}  // namespace cupola::auction
