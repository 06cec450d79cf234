#include "cloud_controller/src/handlers/v2_service_json.h"

#include "cloud_controller/src/handlers/v2_json.h"

namespace cupola::cc {

namespace {

void text_or_null(json::Writer& w, std::string_view key, const std::optional<std::string>& v) {
  w.key(key);
  if (v) {
    w.value(*v);
  } else {
    w.value(nullptr);
  }
}

// Operations made at once carry the row's times.
void write_last_operation(json::Writer& w, const LastOperation& op, const std::string& at) {
  w.key("last_operation").start_object().field("type", op.type).field("state", op.state);
  w.field("description", op.description);
  w.field("updated_at", op.updated_at.empty() ? at : op.updated_at);
  w.field("created_at", op.created_at.empty() ? at : op.created_at).end_object();
}

// The catalog's metadata as the JSON text the cf CLI parses from "extra": an object whose
// "shareable" is the offering's and whose documentation URL, when there is one, is a string.
std::string service_extra(const ServiceOffering& o) {
  json::Document doc;
  auto parsed = json::parse(o.metadata_json);
  if (parsed && parsed->IsObject()) {
    doc = std::move(*parsed);
  } else {
    doc.SetObject();
  }
  for (const char* key : {"documentationUrl", "documentationURL"}) {
    if (auto it = doc.FindMember(key); it != doc.MemberEnd() && !it->value.IsString()) {
      doc.RemoveMember(it);
    }
  }
  doc.RemoveMember("shareable");
  doc.AddMember("shareable", o.shareable, doc.GetAllocator());
  return json::to_string(doc);
}

}  // namespace

std::string_view v2_instance_type(const ServiceInstance& i) {
  return i.type == "managed" ? "managed_service_instance" : "user_provided_service_instance";
}

void write_v2_instance(json::Writer& w, const ServiceInstance& i, const ServicePlan* plan,
                       const std::string& credentials_json, const V2Inlined* inlined) {
  bool managed = i.type == "managed";
  std::string self =
      (managed ? "/v2/service_instances/" : "/v2/user_provided_service_instances/") + i.guid;
  w.start_object();
  write_v2_metadata(w, i.guid, self, i.created_at, i.updated_at);
  w.key("entity").start_object();
  w.field("name", i.name).key("credentials").raw(managed ? "{}" : credentials_json);
  w.field("space_guid", i.space_guid).field("type", v2_instance_type(i));
  w.key("tags").raw(i.tags_json);
  w.field("space_url", "/v2/spaces/" + i.space_guid);
  w.field("service_bindings_url", self + "/service_bindings");
  w.field("routes_url", self + "/routes");
  if (managed) {
    std::string plan_guid = i.plan_guid.value_or("");
    std::string service_guid = plan ? plan->offering_guid : "";
    w.field("service_plan_guid", plan_guid).field("service_guid", service_guid);
    w.key("gateway_data").value(nullptr);
    text_or_null(w, "dashboard_url", i.dashboard_url);
    write_last_operation(w, i.operation, i.updated_at);
    w.key("maintenance_info").start_object().end_object();
    w.field("service_plan_url", "/v2/service_plans/" + plan_guid);
    w.field("service_keys_url", self + "/service_keys");
    w.field("service_url", "/v2/services/" + service_guid);
    w.field("shared_from_url", self + "/shared_from");
    w.field("shared_to_url", self + "/shared_to");
    w.field("service_instance_parameters_url", self + "/parameters");
  } else {
    text_or_null(w, "syslog_drain_url", i.syslog_drain_url);
    text_or_null(w, "route_service_url", i.route_service_url);
  }
  if (inlined) {
    w.key("service_bindings").start_array();
    for (const auto& b : inlined->bindings) write_v2_binding(w, b);
    w.end_array();
    if (managed) {
      w.key("service_keys").start_array();
      for (const auto& k : inlined->keys) write_v2_key(w, k);
      w.end_array();
      if (plan) {
        w.key("service_plan");
        write_v2_plan(w, *plan);
      }
    }
  }
  w.end_object().end_object();
}

void write_v2_binding(json::Writer& w, const ShownBinding& shown) {
  const auto& [b, credentials] = shown;
  std::string self = "/v2/service_bindings/" + b.guid;
  w.start_object();
  write_v2_metadata(w, b.guid, self, b.created_at, b.updated_at);
  w.key("entity").start_object();
  w.field("app_guid", b.app_guid).field("service_instance_guid", b.service_instance_guid);
  w.key("credentials").raw(credentials);
  w.key("binding_options").start_object().end_object();
  w.key("gateway_data").value(nullptr).field("gateway_name", "");
  text_or_null(w, "syslog_drain_url", b.syslog_drain_url);
  w.key("volume_mounts").start_array().end_array();
  text_or_null(w, "name", b.name);
  write_last_operation(w, b.operation, b.updated_at);
  w.field("app_url", "/v2/apps/" + b.app_guid);
  w.field("service_instance_url", "/v2/service_instances/" + b.service_instance_guid);
  w.field("service_binding_parameters_url", self + "/parameters");
  w.end_object().end_object();
}

void write_v2_key(json::Writer& w, const ShownBinding& shown) {
  const auto& [k, credentials] = shown;
  std::string self = "/v2/service_keys/" + k.guid;
  w.start_object();
  write_v2_metadata(w, k.guid, self, k.created_at, k.updated_at);
  w.key("entity").start_object();
  w.field("name", k.name.value_or("")).field("service_instance_guid", k.service_instance_guid);
  w.key("credentials").raw(credentials);
  w.field("service_instance_url", "/v2/service_instances/" + k.service_instance_guid);
  w.field("service_key_parameters_url", self + "/parameters");
  w.end_object().end_object();
}

void write_v2_service(json::Writer& w, const ServiceOffering& o) {
  std::string self = "/v2/services/" + o.guid;
  w.start_object();
  write_v2_metadata(w, o.guid, self, o.created_at, o.updated_at);
  w.key("entity").start_object();
  w.field("label", o.name).key("provider").value(nullptr).key("url").value(nullptr);
  w.field("description", o.description).key("long_description").value(nullptr);
  w.key("version").value(nullptr).key("info_url").value(nullptr);
  w.field("active", o.available).field("bindable", o.bindable).field("unique_id", o.broker_id);
  w.field("extra", service_extra(o)).key("tags").raw(o.tags_json);
  w.key("requires").raw(o.requires_json).key("documentation_url").value(nullptr);
  w.field("service_broker_guid", o.broker_guid).field("service_broker_name", o.broker_name);
  w.field("plan_updateable", o.plan_updateable);
  w.field("bindings_retrievable", o.bindings_retrievable);
  w.field("instances_retrievable", o.instances_retrievable);
  w.field("allow_context_updates", o.allow_context_updates);
  w.field("service_plans_url", self + "/service_plans");
  w.end_object().end_object();
}

void write_v2_plan(json::Writer& w, const ServicePlan& p) {
  std::string self = "/v2/service_plans/" + p.guid;
  w.start_object();
  write_v2_metadata(w, p.guid, self, p.created_at, p.updated_at);
  w.key("entity").start_object();
  w.field("name", p.name).field("free", p.free).field("description", p.description);
  w.field("service_guid", p.offering_guid).field("extra", p.metadata_json);
  w.field("unique_id", p.broker_id).field("public", p.visibility_type == "public");
  w.field("bindable", p.bindable).field("plan_updateable", p.plan_updateable);
  w.field("active", p.available).key("maximum_polling_duration");
  if (p.maximum_polling_duration) {
    w.value(*p.maximum_polling_duration);
  } else {
    w.value(nullptr);
  }
  w.key("maintenance_info").start_object().end_object();
  w.key("schemas").raw(p.schemas_json);
  w.field("service_url", "/v2/services/" + p.offering_guid);
  w.field("service_instances_url", self + "/service_instances");
  w.end_object().end_object();
}

}  // namespace cupola::cc
