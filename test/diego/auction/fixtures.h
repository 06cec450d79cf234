#pragma once

// Cells, starts and result queries shared by the auction tests.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "diego/auction/types.h"

namespace cupola::auction::testing {

inline constexpr const char* kRootFs = "preloaded:cflinuxfs4";

// An empty cell with the cflinuxfs4 stack.
inline CellState cell(std::string id, std::string zone = "z1",
                      Resources total = {.memory_mb = 1024, .disk_mb = 4096, .containers = 100}) {
  CellState c;
  c.cell_id = std::move(id);
  c.zone = std::move(zone);
  c.total = total;
  c.available = total;
  c.stacks = {"cflinuxfs4"};
  return c;
}

// Marks `count` instances of `process_guid` as running on `c`, each using `memory_mb`.
inline void run(CellState& c, const std::string& process_guid, int count,
                std::int64_t memory_mb = 0) {
  for (int i = 0; i < count; ++i) {
    c.lrps.push_back({process_guid, static_cast<std::int32_t>(c.lrps.size())});
    c.available.memory_mb -= memory_mb;
    c.available.containers -= 1;
  }
}

inline LrpStart lrp(std::string guid, std::vector<std::int32_t> indices,
                    std::int64_t memory_mb = 64, std::int64_t disk_mb = 64) {
  LrpStart s;
  s.process_guid = std::move(guid);
  s.domain = "cf-apps";
  s.indices = std::move(indices);
  s.demand = {.memory_mb = memory_mb, .disk_mb = disk_mb, .max_pids = 1024};
  s.constraint.root_fs = kRootFs;
  return s;
}

inline TaskStart task(std::string guid, std::int64_t memory_mb = 64, std::int64_t disk_mb = 64) {
  TaskStart t;
  t.task_guid = std::move(guid);
  t.domain = "cf-tasks";
  t.demand = {.memory_mb = memory_mb, .disk_mb = disk_mb, .max_pids = 1024};
  t.constraint.root_fs = kRootFs;
  return t;
}

// Instances placed per cell id.
inline std::map<std::string, int> per_cell(const AuctionResults& r) {
  std::map<std::string, int> out;
  for (const auto& p : r.lrps) ++out[p.cell_id];
  for (const auto& p : r.tasks) ++out[p.cell_id];
  return out;
}

// The cell that got process_guid/index, or "" when it was not placed.
inline std::string winner(const AuctionResults& r, const std::string& guid, std::int32_t index) {
  for (const auto& p : r.lrps) {
    if (p.process_guid == guid && p.index == index) return p.cell_id;
  }
  return "";
}

// The failure reason of process_guid/index, or "" when it did not fail.
inline std::string failure(const AuctionResults& r, const std::string& guid, std::int32_t index) {
  for (const auto& f : r.failed_lrps) {
    if (f.process_guid == guid && f.index == index) return f.reason;
  }
  return "";
}

}  // namespace cupola::auction::testing
