#include "bench/auction/sim_cell.h"

#include <utility>

namespace cupola::bench {

SimCell::SimCell(std::string id, std::string zone, std::string stack, auction::Resources total)
    : id_(std::move(id)), zone_(std::move(zone)), stack_(std::move(stack)), total_(total) {}

auction::CellState SimCell::state() const {
  auction::CellState s;
  s.cell_id = id_;
  s.zone = zone_;
  s.total = total_;
  s.available = {.memory_mb = total_.memory_mb - used_.memory_mb,
                 .disk_mb = total_.disk_mb - used_.disk_mb,
                 .containers = total_.containers - used_.containers};
  s.stacks = {stack_};
  s.starting_containers = static_cast<std::int64_t>(lrps_.size());
  s.lrps = lrps_;
  return s;
}

bool SimCell::perform_lrp(const std::string& process_guid, std::int32_t index,
                          const auction::Demand& demand) {
  if (used_.containers + 1 > total_.containers ||
      used_.memory_mb + demand.memory_mb > total_.memory_mb ||
      used_.disk_mb + demand.disk_mb > total_.disk_mb) {
    return false;
  }
  used_.memory_mb += demand.memory_mb;
  used_.disk_mb += demand.disk_mb;
  used_.containers += 1;
  lrps_.push_back({process_guid, index});
  return true;
}

}  // namespace cupola::bench
