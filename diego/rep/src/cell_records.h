#pragma once

#include <memory>
#include <string>
#include <vector>

#include "diego/rep/src/cell.h"

namespace cupola::rep {

enum class Phase { Reserved, Claimed, Creating, Starting, Running, Stopping };
const char* phase_name(Phase p);

struct Cell::Instance {
  std::string guid;
  bbs::LrpStartRequest work;
  bbs::ActualLrpKey key;
  Phase phase = Phase::Reserved;
  bool claimed = false;
  std::int64_t claimed_at_ns = 0;
  bool reported_running = false;
  std::vector<bbs::PortMapping> ports;
  std::string metrics_guid;  // whose metrics these are (the app); "" for none
  std::shared_ptr<garden::Container> container;
  StopMode stop = StopMode::None;
  std::vector<executor::Step*> active;  // steps running now, cancelled by a stop
  bbs::ActualLrpInstanceKey instance_key(const std::string& cell_id) const {
    return {guid, cell_id};
  }
};

struct Cell::TaskRun {
  std::string guid;
  bbs::TaskStartRequest work;
  Phase phase = Phase::Reserved;
  bool started = false;
  std::int64_t started_at_ns = 0;
  bool cancelled = false;  // by the BBS or reconciliation: the BBS already knows
  bool silent = false;     // the rep is exiting: report nothing
  std::shared_ptr<garden::Container> container;
  executor::Step* active = nullptr;
};

}  // namespace cupola::rep
