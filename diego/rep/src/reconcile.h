#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/task.h"

namespace cupola::rep {

// What the rep holds locally, as reconciliation sees it.
struct LocalInstance {
  std::string instance_guid;
  bbs::ActualLrpKey key;
  bool claimed = false;            // the BBS accepted our claim
  std::int64_t claimed_at_ns = 0;  // when that answer came
};
struct LocalTask {
  std::string task_guid;
  bool started = false;
  std::int64_t started_at_ns = 0;
};

// One correction.
struct ReconcileOp {
  enum class Kind {
    StopInstance,  // the BBS no longer has this instance on this cell: destroy its container
    CrashLrp,      // the BBS thinks it runs here, but no container does: report it crashed
    StopTask,      // the BBS no longer runs this task here: destroy its container
    FailTask,      // the BBS thinks the task runs here, but it does not
  };
  Kind kind;
  std::string guid;  // instance or task guid
  bbs::ActualLrpKey key;
  bbs::ActualLrpInstanceKey instance_key;
  std::string reason;
  bool operator==(const ReconcileOp&) const = default;
};

inline constexpr const char* kMissingInstanceReason = "Instance disappeared from its cell";
inline constexpr const char* kMissingTaskReason = "Task disappeared from its cell";

// Compares the BBS's view of this cell (`snapshot_ns`: when the BBS lists were requested)
// with the rep's. Local work claimed or started after the snapshot began is left alone:
// the lists may predate it. Pure.
std::vector<ReconcileOp> reconcile(const std::string& cell_id,
                                   const std::vector<bbs::ActualLrp>& bbs_lrps,
                                   const std::vector<bbs::Task>& bbs_tasks,
                                   const std::vector<LocalInstance>& instances,
                                   const std::vector<LocalTask>& tasks, std::int64_t snapshot_ns);

}  // namespace cupola::rep
