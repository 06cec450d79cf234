#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bbs/api/models/modification_tag.h"

namespace cupola::bbs {

struct EnvironmentVariable {
  std::string name;
  std::string value;
  bool operator==(const EnvironmentVariable&) const = default;
};

// What should run: `instances` copies of one process. Actions (setup, action, monitor) and
// routes are JSON the BBS stores and hands on without interpreting: the executor reads the
// actions, route emitters the routes.
struct DesiredLrp {
  std::string process_guid;
  std::string domain;
  std::string root_fs;  // "rootfs" on the wire, e.g. "preloaded:cupolafs"
  std::int32_t instances = 0;
  std::int32_t memory_mb = 0;
  std::int32_t disk_mb = 0;
  std::int32_t max_pids = 0;
  std::uint32_t cpu_weight = 0;
  bool privileged = false;
  std::vector<EnvironmentVariable> env;
  std::string setup;    // JSON action or ""
  std::string action;   // JSON action, required
  std::string monitor;  // JSON action or ""
  std::int64_t start_timeout_ms = 0;
  std::vector<std::uint32_t> ports;
  std::string routes;  // JSON object {"cf-router": [...]} or ""
  std::string log_guid;
  std::string log_source;
  // Bytes per second each instance may log ("log_rate_limit": {"bytes_per_second": n} on the
  // wire); 0: unlimited.
  std::int64_t log_rate_limit_bytes_per_second = 0;
  std::string metrics_guid;
  std::string annotation;
  std::vector<std::string> placement_tags;
  ModificationTag modification_tag;

  bool operator==(const DesiredLrp&) const = default;
};

// The changeable parts of a DesiredLrp; absent fields stay as they are.
struct DesiredLrpUpdate {
  std::optional<std::int32_t> instances;
  std::optional<std::string> routes;
  std::optional<std::string> annotation;
};

inline constexpr std::size_t kMaxAnnotationBytes = 10 * 1024;
inline constexpr std::size_t kMaxRoutesBytes = 128 * 1024;

// The fields scheduling needs (process_guid, domain, instances, memory_mb, disk_mb,
// max_pids, root_fs, placement_tags, modification_tag); everything else left empty.
inline DesiredLrp scheduling_info(const DesiredLrp& d) {
  DesiredLrp s;
  s.process_guid = d.process_guid;
  s.domain = d.domain;
  s.instances = d.instances;
  s.memory_mb = d.memory_mb;
  s.disk_mb = d.disk_mb;
  s.max_pids = d.max_pids;
  s.root_fs = d.root_fs;
  s.placement_tags = d.placement_tags;
  s.modification_tag = d.modification_tag;
  return s;
}

// "Invalid field: process_guid" and the like; empty when the record may be stored.
std::vector<std::string> validate(const DesiredLrp& lrp);
std::vector<std::string> validate(const DesiredLrpUpdate& update);

// Letters, digits, '-' and '_' only (process and task guids).
bool is_valid_guid_token(std::string_view s);

}  // namespace cupola::bbs
