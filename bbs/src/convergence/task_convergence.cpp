#include "bbs/src/convergence/task_convergence.h"

namespace cupola::bbs {

namespace {

class TaskPass {
 public:
  explicit TaskPass(const TaskConvergenceInput& in)
      : in_(in),
        pending_deadline_(in.now - kExpirePendingTaskDuration.count()),
        completed_deadline_(in.now - kExpireCompletedTaskDuration.count()),
        kick_deadline_(in.now - kKickTaskDuration.count()),
        stuck_deadline_(in.now - kResolvingTaskStuckDuration.count()) {}

  void converge(const Task& t) {
    auto& c = r_.counters;
    switch (t.state) {
      case TaskState::Pending:
        ++c.pending;
        if (t.created_at < pending_deadline_) {
          ++c.expired_pending;
          fail(t, kTaskNotStartedReason);
        } else {
          ++c.kicked;
          r_.start_requests.push_back({t.task_guid, t.domain, t.definition.memory_mb,
                                       t.definition.disk_mb, t.definition.max_pids,
                                       t.definition.root_fs, t.definition.placement_tags});
        }
        return;
      case TaskState::Running:
        ++c.running;
        if (!in_.live_cells.contains(t.cell_id)) {
          ++c.cell_disappeared;
          fail(t, kTaskCellDisappearedReason);
        }
        return;
      case TaskState::Resolving:
        ++c.resolving;
        if (t.updated_at >= stuck_deadline_) return;
        if (t.first_completed_at < completed_deadline_) {
          remove(t);
          return;
        }
        demote(t);
        return;
      case TaskState::Completed:
        ++c.completed;
        if (t.first_completed_at < completed_deadline_) {
          remove(t);
        } else if (t.updated_at < kick_deadline_) {
          call_back(t);
        }
        return;
    }
  }

  TaskConvergenceResult finish() { return std::move(r_); }

 private:
  // As a failed completion would leave it, so clients see the reason.
  void fail(const Task& t, std::string_view reason) {
    Task after = t;
    after.state = TaskState::Completed;
    after.failed = true;
    after.failure_reason = std::string(reason);
    after.result.clear();
    after.cell_id.clear();
    after.first_completed_at = in_.now;
    after.updated_at = in_.now;
    after.modification_tag = t.modification_tag.incremented();
    r_.failures.push_back({t, std::move(after)});
  }

  // updated_at stays: the demoted task is already due for its callback retry.
  void demote(const Task& t) {
    ++r_.counters.demoted;
    Task after = t;
    after.state = TaskState::Completed;
    after.modification_tag = t.modification_tag.incremented();
    call_back(after);
    r_.demotions.push_back({t, std::move(after)});
  }

  void remove(const Task& t) {
    ++r_.counters.deleted;
    r_.deletions.push_back(t);
  }

  void call_back(const Task& t) {
    if (t.definition.completion_callback_url.empty()) return;
    ++r_.counters.callbacks;
    r_.callbacks.push_back(t);
  }

  const TaskConvergenceInput& in_;
  const std::int64_t pending_deadline_;
  const std::int64_t completed_deadline_;
  const std::int64_t kick_deadline_;
  const std::int64_t stuck_deadline_;
  TaskConvergenceResult r_;
};

}  // namespace

TaskConvergenceResult converge_tasks(const TaskConvergenceInput& input) {
  TaskPass pass(input);
  for (const Task& t : input.tasks) pass.converge(t);
  return pass.finish();
}

}  // namespace cupola::bbs
