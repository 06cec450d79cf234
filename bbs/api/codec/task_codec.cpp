#include "bbs/api/codec/codec.h"
#include "bbs/api/codec/raw.h"

namespace cupola::bbs {
namespace {

void write_definition_fields(json::Writer& w, const TaskDefinition& d) {
  w.field("rootfs", d.root_fs);
  write_env(w, d.env);
  write_raw_field(w, "action", d.action);
  w.field("memory_mb", d.memory_mb).field("disk_mb", d.disk_mb).field("max_pids", d.max_pids);
  w.field("cpu_weight", d.cpu_weight).field("privileged", d.privileged);
  w.field("log_guid", d.log_guid).field("log_source", d.log_source);
  write_log_rate_limit(w, d.log_rate_limit_bytes_per_second);
  w.field("metrics_guid", d.metrics_guid).field("result_file", d.result_file);
  w.field("completion_callback_url", d.completion_callback_url);
  w.field("annotation", d.annotation);
  w.key("placement_tags").start_array();
  for (const auto& t : d.placement_tags) w.value(t);
  w.end_array();
}

}  // namespace

void write(json::Writer& w, const TaskDefinition& d) {
  w.start_object();
  write_definition_fields(w, d);
  w.end_object();
}

void read(json::ObjectReader& r, TaskDefinition& d) {
  r.required("rootfs", d.root_fs);
  read_env(r, d.env);
  read_raw_object(r, "action", d.action, true);
  r.optional("memory_mb", d.memory_mb);
  r.optional("disk_mb", d.disk_mb);
  r.optional("max_pids", d.max_pids);
  r.optional("cpu_weight", d.cpu_weight);
  r.optional("privileged", d.privileged);
  r.optional("log_guid", d.log_guid);
  r.optional("log_source", d.log_source);
  read_log_rate_limit(r, d.log_rate_limit_bytes_per_second);
  r.optional("metrics_guid", d.metrics_guid);
  r.optional("result_file", d.result_file);
  r.optional("completion_callback_url", d.completion_callback_url);
  r.optional("annotation", d.annotation);
  r.optional("placement_tags", d.placement_tags);
}

void write(json::Writer& w, const Task& t) {
  w.start_object();
  w.field("task_guid", t.task_guid).field("domain", t.domain);
  write_definition_fields(w, t.definition);
  w.field("state", to_string(t.state)).field("cell_id", t.cell_id);
  w.field("result", t.result).field("failed", t.failed).field("failure_reason", t.failure_reason);
  w.field("rejection_count", t.rejection_count).field("rejection_reason", t.rejection_reason);
  w.field("created_at", static_cast<long long>(t.created_at));
  w.field("updated_at", static_cast<long long>(t.updated_at));
  w.field("first_completed_at", static_cast<long long>(t.first_completed_at));
  w.key("modification_tag");
  write(w, t.modification_tag);
  w.end_object();
}

void read(json::ObjectReader& r, Task& t) {
  r.required("task_guid", t.task_guid);
  r.required("domain", t.domain);
  read(r, t.definition);
  read_enum(r, "state", t.state, parse_task_state);
  r.optional("cell_id", t.cell_id);
  r.optional("result", t.result);
  r.optional("failed", t.failed);
  r.optional("failure_reason", t.failure_reason);
  r.optional("rejection_count", t.rejection_count);
  r.optional("rejection_reason", t.rejection_reason);
  r.optional("created_at", t.created_at);
  r.optional("updated_at", t.updated_at);
  r.optional("first_completed_at", t.first_completed_at);
  auto tag = r.object("modification_tag");
  read(tag, t.modification_tag);
}

void write(json::Writer& w, const CellPresence& c) {
  w.start_object();
  w.field("cell_id", c.cell_id).field("rep_address", c.rep_address).field("rep_url", c.rep_url);
  w.field("zone", c.zone);
  w.key("capacity").start_object();
  w.field("memory_mb", c.capacity.memory_mb).field("disk_mb", c.capacity.disk_mb);
  w.field("containers", c.capacity.containers);
  w.end_object();
  auto list = [&](std::string_view key, const std::vector<std::string>& v) {
    w.key(key).start_array();
    for (const auto& s : v) w.value(s);
    w.end_array();
  };
  list("stacks", c.stacks);
  list("placement_tags", c.placement_tags);
  list("optional_placement_tags", c.optional_placement_tags);
  w.end_object();
}

void read(json::ObjectReader& r, CellPresence& c) {
  r.required("cell_id", c.cell_id);
  r.required("rep_address", c.rep_address);
  r.optional("rep_url", c.rep_url);
  r.optional("zone", c.zone);
  auto cap = r.object("capacity", true);
  cap.required("memory_mb", c.capacity.memory_mb);
  cap.optional("disk_mb", c.capacity.disk_mb);
  cap.required("containers", c.capacity.containers);
  r.optional("stacks", c.stacks);
  r.optional("placement_tags", c.placement_tags);
  r.optional("optional_placement_tags", c.optional_placement_tags);
}

}  // namespace cupola::bbs
