#pragma once

// Task convergence: decide which tasks to fail, delete, demote, re-auction or call back.
// Pure: no I/O, no clock; `now` comes in (ns since the epoch, like Task::created_at).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "bbs/api/models/start_requests.h"
#include "bbs/api/models/task.h"

namespace cupola::bbs {

// A Completed task untouched this long gets its completion callback again.
inline constexpr std::chrono::nanoseconds kKickTaskDuration = std::chrono::seconds{30};
// A Pending task created longer ago than this fails.
inline constexpr std::chrono::nanoseconds kExpirePendingTaskDuration = std::chrono::minutes{30};
// A Completed task first completed longer ago than this is deleted, resolved or not.
inline constexpr std::chrono::nanoseconds kExpireCompletedTaskDuration = std::chrono::minutes{2};
// A Resolving task untouched this long goes back to Completed (its callback gave up).
inline constexpr std::chrono::nanoseconds kResolvingTaskStuckDuration = kKickTaskDuration;

inline constexpr std::string_view kTaskNotStartedReason = "not started within time limit";
inline constexpr std::string_view kTaskCellDisappearedReason = "cell disappeared before completion";

struct TaskConvergenceInput {
  std::vector<Task> tasks;                     // every task
  std::unordered_set<std::string> live_cells;  // ids of cells with an unexpired presence
  std::int64_t now = 0;                        // ns since the epoch
};

// A compare-and-set update of one task: expected to carry before.modification_tag; `after` is
// the full new record, its tag before's incremented.
struct TaskUpdate {
  Task before;
  Task after;
};

// For metrics. State counts are of the input; the rest of this pass.
struct TaskConvergenceCounters {
  std::int64_t pending = 0;
  std::int64_t running = 0;
  std::int64_t completed = 0;
  std::int64_t resolving = 0;
  std::int64_t kicked = 0;            // pending tasks re-sent to the auctioneer
  std::int64_t expired_pending = 0;   // failed: not started in time
  std::int64_t cell_disappeared = 0;  // failed: their cell went away
  std::int64_t demoted = 0;           // Resolving -> Completed
  std::int64_t deleted = 0;
  std::int64_t callbacks = 0;
};

// Effects of one pass. Apply deletions and changes (failures, demotions) first; then send the
// start requests as one batch and hand the callbacks to the completion-callback worker. Each
// task appears in at most one of failures, demotions and deletions; a demoted task may also
// appear in callbacks, as its `after` record (the callback acts on the demoted row).
struct TaskConvergenceResult {
  // Pending or Running -> Completed, failed, with kTaskNotStartedReason or
  // kTaskCellDisappearedReason; result and cell_id cleared; first_completed_at = updated_at = now.
  std::vector<TaskUpdate> failures;
  // Resolving -> Completed; updated_at unchanged.
  std::vector<TaskUpdate> demotions;
  // Completed (or stuck Resolving) tasks past kExpireCompletedTaskDuration: delete.
  std::vector<Task> deletions;
  std::vector<TaskStartRequest> start_requests;
  // Completed tasks with a completion_callback_url whose callback should be tried again.
  std::vector<Task> callbacks;
  TaskConvergenceCounters counters;
};

// One pass; each task is looked at once, in input order:
//  - Pending, created_at < now - 30 min: failed (kTaskNotStartedReason). Otherwise re-sent to
//    the auctioneer, every pass: the rep's start is at-most-once, so repeats are harmless.
//  - Running on a cell not in live_cells: failed (kTaskCellDisappearedReason). Never re-run.
//  - Resolving, updated_at < now - 30 s: deleted if first_completed_at < now - 2 min, else
//    demoted to Completed, and its callback retried (below) if it has a URL.
//  - Completed, first_completed_at < now - 2 min: deleted. Otherwise, with a callback URL and
//    updated_at < now - 30 s: callback retried. Without a URL it waits for its client.
TaskConvergenceResult converge_tasks(const TaskConvergenceInput& input);

}  // namespace cupola::bbs
