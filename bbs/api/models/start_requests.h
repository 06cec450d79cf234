#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cupola::bbs {

// What the auctioneer needs to place one LRP instance: the BBS's start request and, as
// placed, the work a rep performs.
struct LrpStartRequest {
  std::string process_guid;
  std::string domain;
  std::int32_t index = 0;
  std::int32_t memory_mb = 0;
  std::int32_t disk_mb = 0;
  std::int32_t max_pids = 0;
  std::string root_fs;
  std::vector<std::string> placement_tags;
  bool operator==(const LrpStartRequest&) const = default;
};

// What the auctioneer needs to place one task.
struct TaskStartRequest {
  std::string task_guid;
  std::string domain;
  std::int32_t memory_mb = 0;
  std::int32_t disk_mb = 0;
  std::int32_t max_pids = 0;
  std::string root_fs;
  std::vector<std::string> placement_tags;
  bool operator==(const TaskStartRequest&) const = default;
};

}  // namespace cupola::bbs
