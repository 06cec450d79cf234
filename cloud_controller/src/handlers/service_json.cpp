#include "cloud_controller/src/handlers/service_json.h"

#include <utility>
#include <vector>

namespace cupola::cc {

namespace {

void links(json::Writer& w, const std::vector<std::pair<const char*, std::string>>& all) {
  w.key("links").start_object();
  for (const auto& [name, href] : all) {
    w.key(name).start_object().field("href", href).end_object();
  }
  w.end_object();
}

void to_one(json::Writer& w, const char* name, const std::string& guid) {
  w.key(name).start_object().key("data").start_object().field("guid", guid);
  w.end_object().end_object();
}

}  // namespace

void optional_text(json::Writer& w, const char* key, const std::optional<std::string>& v) {
  w.key(key);
  if (v) {
    w.value(*v);
  } else {
    w.value(nullptr);
  }
}

void write_last_operation(json::Writer& w, const LastOperation& op, bool user_provided) {
  std::string description = op.description;
  if (user_provided && description.empty()) description = "Operation succeeded";
  w.key("last_operation").start_object().field("type", op.type).field("state", op.state);
  w.field("description", description).field("created_at", op.created_at);
  w.field("updated_at", op.updated_at).end_object();
}

void write_instance(json::Writer& w, const Urls& urls, const ServiceInstance& i) {
  std::string self = urls.api + "/v3/service_instances/" + i.guid;
  bool managed = i.type == "managed";
  w.start_object();
  w.field("guid", i.guid).field("created_at", i.created_at).field("updated_at", i.updated_at);
  w.field("name", i.name).key("tags").raw(i.tags_json).field("type", i.type);
  if (managed) {
    w.key("maintenance_info").start_object().end_object().field("upgrade_available", false);
    optional_text(w, "dashboard_url", i.dashboard_url);
  } else {
    optional_text(w, "syslog_drain_url", i.syslog_drain_url);
    optional_text(w, "route_service_url", i.route_service_url);
  }
  write_last_operation(w, i.operation, !managed);
  w.key("relationships").start_object();
  if (managed) to_one(w, "service_plan", i.plan_guid.value_or(""));
  to_one(w, "space", i.space_guid);
  w.end_object();
  write_metadata(w);
  std::vector<std::pair<const char*, std::string>> all{
      {"self", self}, {"space", urls.api + "/v3/spaces/" + i.space_guid}};
  if (managed) {
    all.emplace_back("service_plan", urls.api + "/v3/service_plans/" + i.plan_guid.value_or(""));
    all.emplace_back("parameters", self + "/parameters");
    all.emplace_back("shared_spaces", self + "/relationships/shared_spaces");
  } else {
    all.emplace_back("credentials", self + "/credentials");
  }
  all.emplace_back("service_credential_bindings",
                   urls.api + "/v3/service_credential_bindings?service_instance_guids=" + i.guid);
  all.emplace_back("service_route_bindings",
                   urls.api + "/v3/service_route_bindings?service_instance_guids=" + i.guid);
  links(w, all);
  w.end_object();
}

void write_binding(json::Writer& w, const Urls& urls, const ServiceBinding& b) {
  std::string self = urls.api + "/v3/service_credential_bindings/" + b.guid;
  w.start_object();
  w.field("guid", b.guid).field("created_at", b.created_at).field("updated_at", b.updated_at);
  optional_text(w, "name", b.name);
  w.field("type", b.type);
  // A user-provided instance's bindings are made at once: their operation is the default one.
  write_last_operation(
      w, b.operation,
      !b.broker_operation && b.operation.description.empty() && b.operation.state == "succeeded");
  write_metadata(w);
  w.key("relationships").start_object();
  if (!b.app_guid.empty()) to_one(w, "app", b.app_guid);
  to_one(w, "service_instance", b.service_instance_guid);
  w.end_object();
  std::vector<std::pair<const char*, std::string>> all{{"self", self},
                                                       {"details", self + "/details"}};
  if (!b.app_guid.empty()) all.emplace_back("app", urls.api + "/v3/apps/" + b.app_guid);
  all.emplace_back("service_instance",
                   urls.api + "/v3/service_instances/" + b.service_instance_guid);
  links(w, all);
  w.end_object();
}

}  // namespace cupola::cc
