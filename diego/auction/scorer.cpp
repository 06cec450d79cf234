#include "diego/auction/scorer.h"

#include <cassert>

namespace cupola::auction {
namespace {

double reciprocal(std::int64_t total) { return total > 0 ? 1.0 / static_cast<double>(total) : 0.0; }

void take(CellLoad& cell, const Demand& demand) {
  assert(resource_problems(cell.available, demand) == kNoProblem);
  cell.available.memory_mb -= demand.memory_mb;
  cell.available.disk_mb -= demand.disk_mb;
  cell.available.containers -= 1;
  cell.starting_containers += 1;
}

}  // namespace

CellLoad make_cell_load(const CellState& cell, std::int32_t zone_position) {
  return CellLoad{
      .available = cell.available,
      .inv_total_memory = reciprocal(cell.total.memory_mb),
      .inv_total_disk = reciprocal(cell.total.disk_mb),
      .inv_total_containers = reciprocal(cell.total.containers),
      .starting_containers = cell.starting_containers,
      .tasks = static_cast<std::int64_t>(cell.tasks.size()),
      .zone_position = zone_position,
  };
}

void reserve_lrp(CellLoad& cell, const Demand& demand) { take(cell, demand); }

void reserve_task(CellLoad& cell, const Demand& demand) {
  take(cell, demand);
  cell.tasks += 1;
}

}  // namespace cupola::auction
