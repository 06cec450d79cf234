#pragma once

// The scheduler's working copy of the cells: their loads, which cells each placement
// constraint admits, and where the instances of each requested process are. Reservations
// change it; nothing else sees it. One Fleet per schedule() call, used from one thread.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "diego/auction/constraints.h"
#include "diego/auction/scorer.h"
#include "diego/auction/types.h"

namespace cupola::auction {

class Fleet {
 public:
  // Cells admitted for one placement constraint, by zone; `furthest` is Mismatch::None when
  // some cell is admitted, otherwise the check that failed on the cells that got furthest.
  struct Eligible {
    Mismatch furthest = Mismatch::RootFs;
    std::vector<std::vector<std::int32_t>> by_zone;  // cell numbers, in fleet order
  };

  // Evacuating cells are left out. The rest are numbered zone by zone (zones in name order),
  // by cell_id within a zone; that numbering is the auction's tie-break order. Instances on
  // the cells are counted for the process guids of `lrps` only; `lrps` must outlive the fleet.
  Fleet(std::vector<CellState> cells, const std::vector<LrpStart>& lrps);

  bool empty() const { return cells_.empty(); }
  std::size_t size() const { return cells_.size(); }
  std::size_t zone_count() const { return zone_names_.size(); }
  const std::string& cell_id(std::int32_t cell) const { return cells_[cell].cell_id; }
  std::int32_t zone_of(std::int32_t cell) const { return zone_of_[cell]; }
  CellLoad& load(std::int32_t cell) { return loads_[cell]; }
  std::int64_t starting_containers() const;

  // Computed on first use per distinct constraint, then cached: a cell's compatibility
  // does not change during an auction.
  const Eligible& eligible(const PlacementConstraint& constraint);

  // A dense number for each process guid of the request's LRPs, or -1 for any other guid.
  std::int32_t process_id(std::string_view process_guid) const;
  // (cell, instances) for every cell holding instances of the process.
  const std::vector<std::pair<std::int32_t, std::int32_t>>& process_cells(std::int32_t p) const {
    return process_cells_[p];
  }
  // Instances of the process per zone.
  const std::vector<std::int32_t>& process_zones(std::int32_t p) const { return process_zones_[p]; }
  void add_instance(std::int32_t process, std::int32_t cell);

 private:
  std::vector<CellState> cells_;  // fleet order
  std::vector<CellLoad> loads_;
  std::vector<std::int32_t> zone_of_;
  std::vector<std::string> zone_names_;
  std::unordered_map<std::string, Eligible> eligible_;
  std::unordered_map<std::string_view, std::int32_t> process_ids_;  // views into the request
  std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> process_cells_;
  std::vector<std::vector<std::int32_t>> process_zones_;
};

}  // namespace cupola::auction
