#include "diego/garden/container_record.h"

#include "common/json/json.h"

namespace cupola::garden {

std::string record_json(const ContainerSpec& spec) {
  json::Writer w;
  w.start_object().field("handle", spec.handle);
  w.key("properties").start_object();
  for (const auto& [k, v] : spec.properties) w.field(k, v);
  w.end_object();
  w.key("env").start_array();
  for (const auto& [k, v] : spec.env) w.value(k + "=" + v);
  w.end_array();
  w.key("limits")
      .start_object()
      .field("memory_bytes", spec.limits.memory_bytes)
      .field("disk_bytes", spec.limits.disk_bytes)
      .field("max_pids", spec.limits.max_pids)
      .field("cpu_shares", spec.limits.cpu_shares)
      .end_object();
  w.end_object();
  return w.str();
}

Result<ContainerSpec> parse_record(const std::string& text) {
  auto doc = json::parse(text);
  if (!doc) return std::move(doc).error();
  ContainerSpec spec;
  json::ObjectReader r(*doc);
  r.required("handle", spec.handle);
  r.optional("properties", spec.properties);
  std::vector<std::string> env;
  r.optional("env", env);
  for (const auto& e : env) {
    auto eq = e.find('=');
    spec.env.emplace_back(e.substr(0, eq), eq == std::string::npos ? "" : e.substr(eq + 1));
  }
  auto limits = r.object("limits");
  limits.optional("memory_bytes", spec.limits.memory_bytes);
  limits.optional("disk_bytes", spec.limits.disk_bytes);
  limits.optional("max_pids", spec.limits.max_pids);
  limits.optional("cpu_shares", spec.limits.cpu_shares);
  if (auto st = r.status("container record"); !st) return std::move(st).error();
  return spec;
}

}  // namespace cupola::garden
