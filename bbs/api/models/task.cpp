#include "bbs/api/models/task.h"

namespace cupola::bbs {

std::string_view to_string(TaskState s) {
  switch (s) {
    case TaskState::Pending:
      return "PENDING";
    case TaskState::Running:
      return "RUNNING";
    case TaskState::Completed:
      return "COMPLETED";
    case TaskState::Resolving:
      return "RESOLVING";
  }
  return "PENDING";
}

std::optional<TaskState> parse_task_state(std::string_view s) {
  for (auto st :
       {TaskState::Pending, TaskState::Running, TaskState::Completed, TaskState::Resolving}) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

bool task_transition_allowed(TaskState from, TaskState to) {
  switch (to) {
    case TaskState::Running:
      return from == TaskState::Pending;
    case TaskState::Completed:
      return from == TaskState::Running;
    case TaskState::Resolving:
      return from == TaskState::Completed;
    case TaskState::Pending:
      return false;
  }
  return false;
}

}  // namespace cupola::bbs
