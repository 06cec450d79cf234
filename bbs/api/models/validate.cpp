#include <cctype>

#include "bbs/api/models/cell.h"
#include "bbs/api/models/desired_lrp.h"
#include "bbs/api/models/task.h"

namespace cupola::bbs {
namespace {

void invalid(std::vector<std::string>& problems, std::string_view field) {
  problems.push_back("Invalid field: " + std::string(field));
}

// A root filesystem is a URL with a scheme ("preloaded:cupolafs", "docker:///x").
bool is_root_fs(std::string_view s) {
  auto colon = s.find(':');
  return colon != std::string_view::npos && colon > 0 && colon + 1 < s.size();
}

bool is_json_object(std::string_view s) {
  return s.size() >= 2 && s.front() == '{' && s.back() == '}';
}

}  // namespace

bool is_valid_guid_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

std::vector<std::string> validate(const DesiredLrp& lrp) {
  std::vector<std::string> p;
  if (!is_valid_guid_token(lrp.process_guid)) invalid(p, "process_guid");
  if (lrp.domain.empty()) invalid(p, "domain");
  if (!is_root_fs(lrp.root_fs)) invalid(p, "rootfs");
  if (lrp.instances < 0) invalid(p, "instances");
  if (lrp.memory_mb < 0) invalid(p, "memory_mb");
  if (lrp.disk_mb < 0) invalid(p, "disk_mb");
  if (lrp.max_pids < 0) invalid(p, "max_pids");
  if (lrp.cpu_weight > 100) invalid(p, "cpu_weight");
  if (!is_json_object(lrp.action)) invalid(p, "action");
  if (!lrp.setup.empty() && !is_json_object(lrp.setup)) invalid(p, "setup");
  if (!lrp.monitor.empty() && !is_json_object(lrp.monitor)) invalid(p, "monitor");
  if (lrp.start_timeout_ms < 0) invalid(p, "start_timeout_ms");
  if (!lrp.routes.empty() && (!is_json_object(lrp.routes) || lrp.routes.size() > kMaxRoutesBytes)) {
    invalid(p, "routes");
  }
  if (lrp.annotation.size() > kMaxAnnotationBytes) invalid(p, "annotation");
  for (const auto& e : lrp.env) {
    if (e.name.empty()) {
      invalid(p, "env");
      break;
    }
  }
  return p;
}

std::vector<std::string> validate(const DesiredLrpUpdate& u) {
  std::vector<std::string> p;
  if (u.instances && *u.instances < 0) invalid(p, "instances");
  if (u.routes && !u.routes->empty() &&
      (!is_json_object(*u.routes) || u.routes->size() > kMaxRoutesBytes)) {
    invalid(p, "routes");
  }
  if (u.annotation && u.annotation->size() > kMaxAnnotationBytes) invalid(p, "annotation");
  return p;
}

std::vector<std::string> validate(const Task& t) {
  std::vector<std::string> p;
  if (!is_valid_guid_token(t.task_guid)) invalid(p, "task_guid");
  if (t.domain.empty()) invalid(p, "domain");
  const auto& d = t.definition;
  if (!is_root_fs(d.root_fs)) invalid(p, "rootfs");
  if (!is_json_object(d.action)) invalid(p, "action");
  if (d.memory_mb < 0) invalid(p, "memory_mb");
  if (d.disk_mb < 0) invalid(p, "disk_mb");
  if (d.max_pids < 0) invalid(p, "max_pids");
  if (d.cpu_weight > 100) invalid(p, "cpu_weight");
  if (d.annotation.size() > kMaxAnnotationBytes) invalid(p, "annotation");
  if (!d.completion_callback_url.empty() && d.completion_callback_url.rfind("http://", 0) != 0 &&
      d.completion_callback_url.rfind("https://", 0) != 0) {
    invalid(p, "completion_callback_url");
  }
  return p;
}

std::vector<std::string> validate(const CellPresence& c) {
  std::vector<std::string> p;
  if (c.cell_id.empty()) invalid(p, "cell_id");
  if (c.rep_address.empty()) invalid(p, "rep_address");
  if (c.capacity.memory_mb <= 0) invalid(p, "capacity.memory_mb");
  if (c.capacity.disk_mb < 0) invalid(p, "capacity.disk_mb");
  if (c.capacity.containers <= 0) invalid(p, "capacity.containers");
  return p;
}

}  // namespace cupola::bbs
