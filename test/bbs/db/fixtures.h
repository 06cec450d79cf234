#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/cell.h"
#include "bbs/api/models/desired_lrp.h"
#include "bbs/api/models/errors.h"
#include "bbs/api/models/task.h"
#include "common/core/result.h"

namespace cupola::bbs::contract {

inline constexpr std::int64_t kNow = 1'700'000'000'000'000'000;
inline constexpr std::int64_t kSecond = 1'000'000'000;

// An UNCLAIMED row, or RUNNING on `cell_id` when one is given.
inline ActualLrp actual(std::string guid, std::int32_t index, std::string cell_id = "",
                        Presence presence = Presence::Ordinary) {
  ActualLrp lrp;
  lrp.key = {guid, index, "cf-apps"};
  lrp.presence = presence;
  lrp.since = kNow;
  lrp.modification_tag = {"epoch-" + guid + "-" + std::to_string(index), 0};
  if (!cell_id.empty()) {
    lrp.state = ActualLrpState::Running;
    lrp.instance_key = {"ig-" + guid + "-" + cell_id, cell_id};
    lrp.net_info = {"10.0.0.1", {{8080, 61000}, {2222, 61001}}, "10.255.0.7"};
    lrp.routable = true;
    lrp.availability_zone = "z1";
  }
  return lrp;
}

inline DesiredLrp desired(std::string guid, std::string domain = "cf-apps") {
  DesiredLrp d;
  d.process_guid = guid;
  d.domain = std::move(domain);
  d.root_fs = "preloaded:cupolafs";
  d.instances = 2;
  d.memory_mb = 256;
  d.disk_mb = 1024;
  d.max_pids = 100;
  d.cpu_weight = 10;
  d.env = {{"PORT", "8080"}};
  d.setup = R"({"download":{"from":"http://cc/droplet","to":"/home/vcap"}})";
  d.action = R"({"run":{"path":"/tmp/lifecycle/launcher","args":["app"]}})";
  d.monitor = R"({"run":{"path":"/tmp/lifecycle/healthcheck"}})";
  d.start_timeout_ms = 60000;
  d.ports = {8080};
  d.routes = R"({"cf-router":[{"hostnames":["a.apps.localhost"],"port":8080}]})";
  d.log_guid = guid;
  d.log_source = "CELL";
  d.annotation = "etag-1";
  d.placement_tags = {"blue"};
  d.modification_tag = {"epoch-" + guid, 0};
  return d;
}

inline Task task(std::string guid, std::string domain = "cf-tasks") {
  Task t;
  t.task_guid = guid;
  t.domain = std::move(domain);
  t.definition.root_fs = "preloaded:cupolafs";
  t.definition.action = R"({"run":{"path":"/bin/stage"}})";
  t.definition.memory_mb = 512;
  t.definition.env = {{"A", "1"}};
  t.definition.result_file = "/tmp/result.json";
  t.definition.completion_callback_url = "http://cc/staging/" + guid;
  t.definition.placement_tags = {"blue"};
  t.created_at = kNow;
  t.updated_at = kNow;
  t.modification_tag = {"epoch-" + guid, 0};
  return t;
}

inline CellPresence cell(std::string id) {
  CellPresence c;
  c.cell_id = id;
  c.rep_address = "http://" + id + ":1800";
  c.rep_url = "https://" + id + ":1801";
  c.zone = "z1";
  c.capacity = {4096, 20000, 250};
  c.stacks = {"cupolafs"};
  c.placement_tags = {"blue"};
  return c;
}

// The BBS error type of a failed result; nullopt when it succeeded.
template <class T>
std::optional<ErrorType> type_of(const Result<T>& r) {
  if (r) return std::nullopt;
  return error_type_of(r.error());
}

}  // namespace cupola::bbs::contract
