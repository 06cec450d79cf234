#pragma once

// An in-process cell for the simulation, standing in for a rep: it reports its state and
// performs the work the auction gives it, refusing what does not fit (as Diego's
// simulationrep does).

#include <cstdint>
#include <string>
#include <vector>

#include "diego/auction/types.h"

namespace cupola::bench {

class SimCell {
 public:
  SimCell(std::string id, std::string zone, std::string stack, auction::Resources total);

  // The state a rep would report: every LRP and task it holds counts as starting.
  auction::CellState state() const;

  // Starts the instance if it fits; false (and nothing changes) if not.
  bool perform_lrp(const std::string& process_guid, std::int32_t index,
                   const auction::Demand& demand);

  const std::string& id() const { return id_; }
  const auction::Resources& total() const { return total_; }
  const auction::Resources& used() const { return used_; }
  std::size_t instances() const { return lrps_.size(); }

 private:
  std::string id_;
  std::string zone_;
  std::string stack_;
  auction::Resources total_;
  auction::Resources used_;
  std::vector<auction::CellLrp> lrps_;
};

}  // namespace cupola::bench
