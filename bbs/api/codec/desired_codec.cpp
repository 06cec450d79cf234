#include "bbs/api/codec/codec.h"
#include "bbs/api/codec/raw.h"

namespace cupola::bbs {

void write(json::Writer& w, const DesiredLrp& d) {
  w.start_object();
  w.field("process_guid", d.process_guid).field("domain", d.domain).field("rootfs", d.root_fs);
  w.field("instances", d.instances).field("memory_mb", d.memory_mb).field("disk_mb", d.disk_mb);
  w.field("max_pids", d.max_pids).field("cpu_weight", d.cpu_weight);
  w.field("privileged", d.privileged);
  write_env(w, d.env);
  write_raw_field(w, "setup", d.setup);
  write_raw_field(w, "action", d.action);
  write_raw_field(w, "monitor", d.monitor);
  w.field("start_timeout_ms", static_cast<long long>(d.start_timeout_ms));
  w.key("ports").start_array();
  for (auto p : d.ports) w.value(p);
  w.end_array();
  write_raw_field(w, "routes", d.routes);
  w.field("log_guid", d.log_guid).field("log_source", d.log_source);
  write_log_rate_limit(w, d.log_rate_limit_bytes_per_second);
  w.field("metrics_guid", d.metrics_guid).field("annotation", d.annotation);
  w.key("placement_tags").start_array();
  for (const auto& t : d.placement_tags) w.value(t);
  w.end_array();
  w.key("modification_tag");
  write(w, d.modification_tag);
  w.end_object();
}

void read(json::ObjectReader& r, DesiredLrp& d) {
  r.required("process_guid", d.process_guid);
  r.required("domain", d.domain);
  r.required("rootfs", d.root_fs);
  r.optional("instances", d.instances);
  r.optional("memory_mb", d.memory_mb);
  r.optional("disk_mb", d.disk_mb);
  r.optional("max_pids", d.max_pids);
  r.optional("cpu_weight", d.cpu_weight);
  r.optional("privileged", d.privileged);
  read_env(r, d.env);
  read_raw_object(r, "setup", d.setup);
  read_raw_object(r, "action", d.action, true);
  read_raw_object(r, "monitor", d.monitor);
  r.optional("start_timeout_ms", d.start_timeout_ms);
  r.optional("ports", d.ports);
  read_raw_object(r, "routes", d.routes);
  r.optional("log_guid", d.log_guid);
  r.optional("log_source", d.log_source);
  read_log_rate_limit(r, d.log_rate_limit_bytes_per_second);
  r.optional("metrics_guid", d.metrics_guid);
  r.optional("annotation", d.annotation);
  r.optional("placement_tags", d.placement_tags);
  auto tag = r.object("modification_tag");
  read(tag, d.modification_tag);
}

void write(json::Writer& w, const DesiredLrpUpdate& u) {
  w.start_object();
  if (u.instances) w.field("instances", *u.instances);
  if (u.routes) write_raw_field(w, "routes", *u.routes);
  if (u.annotation) w.field("annotation", *u.annotation);
  w.end_object();
}

void read(json::ObjectReader& r, DesiredLrpUpdate& u) {
  r.optional("instances", u.instances);
  if (r.find("routes")) {
    std::string routes;
    read_raw_object(r, "routes", routes);
    u.routes = routes;
  }
  r.optional("annotation", u.annotation);
}

}  // namespace cupola::bbs
