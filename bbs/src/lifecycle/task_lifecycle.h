#pragma once

#include <cstdint>
#include <string>

#include "bbs/api/models/task.h"
#include "bbs/src/db/task_db.h"
#include "common/core/result.h"

namespace cupola::bbs {

// The rules of the task calls, as pure decisions over the task as it is under lock (what
// TaskDb::mutate hands its decider). Times are ns since the epoch.

inline constexpr std::string_view kTaskCancelledReason = "task was cancelled";
inline constexpr int kMaxTaskRejections = 3;

// Pending → Running on `cell_id`. A repeat by the same cell writes nothing; anything else
// is InvalidStateTransition. This is the at-most-once rule: only the write that moves the
// task out of Pending may run it (see TaskChange::after).
Result<TaskWrite> decide_start_task(const Task& task, const std::string& cell_id, std::int64_t now);

struct TaskCompletion {
  std::string cell_id;
  bool failed = false;
  std::string failure_reason;
  std::string result;
};
// Running (on that cell) → Completed. Another cell: RunningOnDifferentCell.
Result<TaskWrite> decide_complete_task(const Task& task, const TaskCompletion& completion,
                                       std::int64_t now);

// Pending or Running → Completed and failed (fail, cancel).
Result<TaskWrite> decide_fail_task(const Task& task, const std::string& reason, std::int64_t now);

// A cell gave the task back: Pending again, or failed after too many rejections.
Result<TaskWrite> decide_reject_task(const Task& task, const std::string& reason, std::int64_t now);

// Completed → Resolving: the caller now owns the result.
Result<TaskWrite> decide_resolving_task(const Task& task, std::int64_t now);

// Resolving → deleted.
Result<TaskWrite> decide_resolve_task(const Task& task);

}  // namespace cupola::bbs
