#pragma once

// How good a cell is for a piece of work, as Diego's rep and auction score it. Lower scores
// win. Everything here is inline arithmetic on a CellLoad, so the scheduler can score every
// cell for every auction.

#include <cstdint>

#include "diego/auction/reasons.h"
#include "diego/auction/types.h"

namespace cupola::auction {

// Added per instance of the same process already on the cell (and, for tasks, per task on the
// cell). It dwarfs the resource score, so a process spreads over cells before any cell gets
// a second instance of it.
inline constexpr double kLocalityOffset = 1000.0;

// The part of a cell the scorer reads, with the totals stored as reciprocals so a score costs
// no division. A resource whose total is 0 or less has reciprocal 0: it counts as fully used.
struct CellLoad {
  Resources available;
  double inv_total_memory = 0;
  double inv_total_disk = 0;
  double inv_total_containers = 0;
  std::int64_t starting_containers = 0;
  std::int64_t tasks = 0;
  std::int32_t zone_position = 0;  // rank of the cell by cell_id within its zone
};

CellLoad make_cell_load(const CellState& cell, std::int32_t zone_position);

// The resources the cell lacks for `demand` plus one container (ResourceProblem bits);
// kNoProblem when it fits.
inline std::uint8_t resource_problems(const Resources& available, const Demand& demand) {
  std::uint8_t problems = kNoProblem;
  if (available.disk_mb < demand.disk_mb) problems |= kDisk;
  if (available.memory_mb < demand.memory_mb) problems |= kMemory;
  if (available.containers < 1) problems |= kContainers;
  return problems;
}

// Diego's resource score: the mean over memory, disk and containers of the fraction of the
// total in use once `demand` and one container are taken, plus `starting_weight` per
// container the cell is still starting. Near 0 on an empty cell; 1 when the work fills the cell.
inline double resource_score(const CellLoad& cell, const Demand& demand, double starting_weight) {
  const double used_memory =
      1.0 -
      static_cast<double>(cell.available.memory_mb - demand.memory_mb) * cell.inv_total_memory;
  const double used_disk =
      1.0 - static_cast<double>(cell.available.disk_mb - demand.disk_mb) * cell.inv_total_disk;
  const double used_containers =
      1.0 - static_cast<double>(cell.available.containers - 1) * cell.inv_total_containers;
  return (used_memory + used_disk + used_containers) / 3.0 +
         static_cast<double>(cell.starting_containers) * starting_weight;
}

// An LRP instance's score on a cell that already holds `same_process` instances of it.
inline double lrp_score(const CellLoad& cell, const Demand& demand, std::int64_t same_process,
                        const Weights& weights) {
  return resource_score(cell, demand, weights.starting_container) +
         kLocalityOffset * static_cast<double>(same_process) +
         static_cast<double>(cell.zone_position) * weights.bin_pack_first_fit;
}

// A task's score: tasks spread over cells by the number of tasks each already runs.
inline double task_score(const CellLoad& cell, const Demand& demand, const Weights& weights) {
  return resource_score(cell, demand, weights.starting_container) +
         kLocalityOffset * static_cast<double>(cell.tasks);
}

// Books `demand` and one container on the cell, which now has one more starting container.
// The caller has checked resource_problems(); reserving never over-commits a cell.
void reserve_lrp(CellLoad& cell, const Demand& demand);
void reserve_task(CellLoad& cell, const Demand& demand);

}  // namespace cupola::auction
