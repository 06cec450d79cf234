#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bbs/api/models/desired_lrp.h"
#include "bbs/api/models/modification_tag.h"

namespace cupola::bbs {

enum class TaskState { Pending, Running, Completed, Resolving };

std::string_view to_string(TaskState s);  // "PENDING", "RUNNING", "COMPLETED", "RESOLVING"
std::optional<TaskState> parse_task_state(std::string_view s);

// Running only from Pending, Completed only from Running, Resolving only from Completed.
bool task_transition_allowed(TaskState from, TaskState to);

// What a task runs; flattened into the Task's JSON.
struct TaskDefinition {
  std::string root_fs;  // "rootfs" on the wire
  std::vector<EnvironmentVariable> env;
  std::string action;  // JSON action, required
  std::int32_t memory_mb = 0;
  std::int32_t disk_mb = 0;
  std::int32_t max_pids = 0;
  std::uint32_t cpu_weight = 0;
  bool privileged = false;
  std::string log_guid;
  std::string log_source;
  std::int64_t log_rate_limit_bytes_per_second = 0;  // as DesiredLrp's
  std::string metrics_guid;
  std::string result_file;
  std::string completion_callback_url;
  std::string annotation;
  std::vector<std::string> placement_tags;

  bool operator==(const TaskDefinition&) const = default;
};

struct Task {
  std::string task_guid;
  std::string domain;
  TaskDefinition definition;
  TaskState state = TaskState::Pending;
  std::string cell_id;
  std::string result;
  bool failed = false;
  std::string failure_reason;
  std::int32_t rejection_count = 0;
  std::string rejection_reason;
  std::int64_t created_at = 0;  // ns since the epoch
  std::int64_t updated_at = 0;
  std::int64_t first_completed_at = 0;
  ModificationTag modification_tag;

  bool operator==(const Task&) const = default;
};

std::vector<std::string> validate(const Task& task);

}  // namespace cupola::bbs
