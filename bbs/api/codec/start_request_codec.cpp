#include "bbs/api/codec/codec.h"

namespace cupola::bbs {
namespace {

template <class T>
void write_placement(json::Writer& w, const T& r) {
  w.field("domain", r.domain);
  w.field("memory_mb", r.memory_mb).field("disk_mb", r.disk_mb).field("max_pids", r.max_pids);
  w.field("root_fs", r.root_fs);
  w.key("placement_tags").start_array();
  for (const auto& t : r.placement_tags) w.value(t);
  w.end_array();
}

template <class T>
void read_placement(json::ObjectReader& r, T& out) {
  r.optional("domain", out.domain);
  r.optional("memory_mb", out.memory_mb);
  r.optional("disk_mb", out.disk_mb);
  r.optional("max_pids", out.max_pids);
  r.optional("root_fs", out.root_fs);
  r.optional("placement_tags", out.placement_tags);
  for (auto [key, v] : {std::pair<std::string_view, std::int32_t>{"memory_mb", out.memory_mb},
                        {"disk_mb", out.disk_mb},
                        {"max_pids", out.max_pids}}) {
    if (v < 0) r.problem(key, "must not be negative");
  }
}

void require_guid(json::ObjectReader& r, std::string_view key, std::string& out) {
  r.required(key, out);
  if (r.find(key) && out.empty()) r.problem(key, "must not be empty");
}

}  // namespace

void write(json::Writer& w, const LrpStartRequest& l) {
  w.start_object().field("process_guid", l.process_guid).field("index", l.index);
  write_placement(w, l);
  w.end_object();
}

void write(json::Writer& w, const TaskStartRequest& t) {
  w.start_object().field("task_guid", t.task_guid);
  write_placement(w, t);
  w.end_object();
}

void read(json::ObjectReader& r, LrpStartRequest& l) {
  require_guid(r, "process_guid", l.process_guid);
  r.required("index", l.index);
  if (l.index < 0) r.problem("index", "must not be negative");
  read_placement(r, l);
}

void read(json::ObjectReader& r, TaskStartRequest& t) {
  require_guid(r, "task_guid", t.task_guid);
  read_placement(r, t);
}

}  // namespace cupola::bbs
