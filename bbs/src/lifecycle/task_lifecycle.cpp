#include "bbs/src/lifecycle/task_lifecycle.h"

#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/errors.h"

namespace cupola::bbs {
namespace {

Error invalid_transition(TaskState from, TaskState to) {
  return bbs_error(ErrorType::InvalidStateTransition, "Cannot transition from " +
                                                          std::string(to_string(from)) + " to " +
                                                          std::string(to_string(to)));
}

Task next(const Task& t, TaskState state, std::int64_t now) {
  Task after = t;
  after.state = state;
  after.updated_at = now;
  return after;
}

Task completed(const Task& t, bool failed, const std::string& reason, std::string result,
               std::int64_t now) {
  Task after = next(t, TaskState::Completed, now);
  after.failed = failed;
  after.failure_reason = truncate_reason(reason);
  after.result = std::move(result);
  after.cell_id.clear();
  after.first_completed_at = now;
  return after;
}

}  // namespace

Result<TaskWrite> decide_start_task(const Task& t, const std::string& cell_id, std::int64_t now) {
  if (t.state == TaskState::Running && t.cell_id == cell_id) return TaskWrite{};
  if (t.state != TaskState::Pending) return invalid_transition(t.state, TaskState::Running);
  Task after = next(t, TaskState::Running, now);
  after.cell_id = cell_id;
  return TaskWrite{std::move(after), false};
}

Result<TaskWrite> decide_complete_task(const Task& t, const TaskCompletion& c, std::int64_t now) {
  if (t.state != TaskState::Running) return invalid_transition(t.state, TaskState::Completed);
  if (t.cell_id != c.cell_id) {
    return bbs_error(ErrorType::RunningOnDifferentCell,
                     "Running on cell " + t.cell_id + " not " + c.cell_id);
  }
  return TaskWrite{completed(t, c.failed, c.failure_reason, c.result, now), false};
}

Result<TaskWrite> decide_fail_task(const Task& t, const std::string& reason, std::int64_t now) {
  if (t.state != TaskState::Pending && t.state != TaskState::Running) {
    return invalid_transition(t.state, TaskState::Completed);
  }
  return TaskWrite{completed(t, true, reason, "", now), false};
}

Result<TaskWrite> decide_reject_task(const Task& t, const std::string& reason, std::int64_t now) {
  if (t.state != TaskState::Pending && t.state != TaskState::Running) {
    return bbs_error(ErrorType::InvalidStateTransition,
                     "Cannot reject a task in state " + std::string(to_string(t.state)));
  }
  if (t.rejection_count >= kMaxTaskRejections) {
    Task after = completed(t, true, reason, "", now);
    after.rejection_count = t.rejection_count + 1;
    after.rejection_reason = truncate_reason(reason);
    return TaskWrite{std::move(after), false};
  }
  Task after = next(t, TaskState::Pending, now);
  after.cell_id.clear();
  after.rejection_count = t.rejection_count + 1;
  after.rejection_reason = truncate_reason(reason);
  return TaskWrite{std::move(after), false};
}

Result<TaskWrite> decide_resolving_task(const Task& t, std::int64_t now) {
  if (!task_transition_allowed(t.state, TaskState::Resolving)) {
    return invalid_transition(t.state, TaskState::Resolving);
  }
  return TaskWrite{next(t, TaskState::Resolving, now), false};
}

Result<TaskWrite> decide_resolve_task(const Task& t) {
  if (t.state != TaskState::Resolving) {
    return bbs_error(ErrorType::InvalidStateTransition, "Cannot resolve a task in state " +
                                                            std::string(to_string(t.state)) +
                                                            "; mark it RESOLVING first");
  }
  return TaskWrite{std::nullopt, true};
}

}  // namespace cupola::bbs
