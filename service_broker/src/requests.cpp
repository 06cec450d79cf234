#include "service_broker/src/requests.h"

#include "common/json/json.h"
#include "service_broker/src/errors.h"

namespace cupola::pg_broker {
namespace {

Error bad(std::string message) { return broker_error(BrokerErrc::BadRequest, std::move(message)); }

Result<json::Document> parse_object(std::string_view body) {
  if (body.empty()) return bad("the request body must be a JSON object");
  auto doc = json::parse(body, json::ParseLimits{.max_bytes = body.size(), .max_depth = 32});
  if (!doc) return bad("the request body is not valid JSON: " + doc.error().message);
  if (!doc->IsObject()) return bad("the request body must be a JSON object");
  return doc;
}

// A member that must be a non-empty string when present. Absent and null read as nullopt.
Result<std::optional<std::string>> string_member(const json::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::optional<std::string>{};
  if (!it->value.IsString() || it->value.GetStringLength() == 0) {
    return bad(std::string(name) + " must be a non-empty string");
  }
  return std::optional<std::string>(
      std::string(it->value.GetString(), it->value.GetStringLength()));
}

Result<std::string> required_string(const json::Value& obj, const char* name) {
  auto v = string_member(obj, name);
  if (!v) return std::move(v).error();
  if (!*v) return bad(std::string(name) + " is required");
  return std::move(**v);
}

// A member that must be an object when present, as compact JSON; nullopt when absent.
Result<std::optional<std::string>> object_member(const json::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::optional<std::string>{};
  if (!it->value.IsObject()) return bad(std::string(name) + " must be an object");
  return std::optional<std::string>(json::to_string(it->value));
}

// The plans take no parameters (the catalog's schemas say so).
Result<std::optional<std::string>> parameters_member(const json::Value& obj) {
  auto p = object_member(obj, "parameters");
  if (!p) return p;
  auto it = obj.FindMember("parameters");
  if (*p && it->value.MemberCount() > 0) {
    return bad("this service takes no parameters; unexpected \"" +
               std::string(it->value.MemberBegin()->name.GetString()) + "\"");
  }
  return p;
}

Status check_service(const std::string& service_id, const Catalog& catalog) {
  if (!catalog.is_service(service_id)) {
    return bad("service_id \"" + service_id + "\" is not a service of this broker");
  }
  return {};
}

Status check_plan(const std::string& plan_id, const Catalog& catalog) {
  if (!catalog.find_plan(plan_id)) {
    return bad("plan_id \"" + plan_id + "\" is not a plan of service " + catalog.service().name);
  }
  return {};
}

}  // namespace

Result<ProvisionRequest> parse_provision(std::string_view body, const Catalog& catalog) {
  auto doc = parse_object(body);
  if (!doc) return std::move(doc).error();
  ProvisionRequest req;
  auto& a = req.attributes;
  for (auto [name, out] : {std::pair{"service_id", &a.service_id}, std::pair{"plan_id", &a.plan_id},
                           std::pair{"organization_guid", &a.organization_guid},
                           std::pair{"space_guid", &a.space_guid}}) {
    auto v = required_string(*doc, name);
    if (!v) return std::move(v).error();
    *out = std::move(*v);
  }
  if (auto s = check_service(a.service_id, catalog); !s) return std::move(s).error();
  if (auto s = check_plan(a.plan_id, catalog); !s) return std::move(s).error();
  auto params = parameters_member(*doc);
  if (!params) return std::move(params).error();
  if (*params) a.parameters = std::move(**params);
  auto context = object_member(*doc, "context");
  if (!context) return std::move(context).error();
  if (*context) req.context = std::move(**context);
  return req;
}

Result<UpdateRequest> parse_update(std::string_view body, const Catalog& catalog) {
  auto doc = parse_object(body);
  if (!doc) return std::move(doc).error();
  UpdateRequest req;
  auto service = required_string(*doc, "service_id");
  if (!service) return std::move(service).error();
  req.service_id = std::move(*service);
  if (auto s = check_service(req.service_id, catalog); !s) return std::move(s).error();
  auto plan = string_member(*doc, "plan_id");
  if (!plan) return std::move(plan).error();
  if (*plan) {
    if (auto s = check_plan(**plan, catalog); !s) return std::move(s).error();
    req.plan_id = std::move(**plan);
  }
  auto params = parameters_member(*doc);
  if (!params) return std::move(params).error();
  req.parameters = std::move(*params);
  if (auto context = object_member(*doc, "context"); !context) return std::move(context).error();
  return req;
}

Result<BindingAttributes> parse_bind(std::string_view body, const Catalog& catalog) {
  auto doc = parse_object(body);
  if (!doc) return std::move(doc).error();
  BindingAttributes a;
  auto service = required_string(*doc, "service_id");
  if (!service) return std::move(service).error();
  a.service_id = std::move(*service);
  auto plan = required_string(*doc, "plan_id");
  if (!plan) return std::move(plan).error();
  a.plan_id = std::move(*plan);
  if (auto s = check_service(a.service_id, catalog); !s) return std::move(s).error();
  if (auto s = check_plan(a.plan_id, catalog); !s) return std::move(s).error();
  auto resource = object_member(*doc, "bind_resource");
  if (!resource) return std::move(resource).error();
  std::optional<std::string> app;
  if (*resource) {
    auto app_in_resource = string_member((*doc)["bind_resource"], "app_guid");
    if (!app_in_resource) return std::move(app_in_resource).error();
    app = std::move(*app_in_resource);
  }
  if (!app) {
    auto top = string_member(*doc, "app_guid");
    if (!top) return std::move(top).error();
    app = std::move(*top);
  }
  a.app_guid = app.value_or("");
  auto params = parameters_member(*doc);
  if (!params) return std::move(params).error();
  if (*params) a.parameters = std::move(**params);
  return a;
}

Status check_delete_query(const std::optional<std::string>& service_id,
                          const std::optional<std::string>& plan_id, const Catalog& catalog) {
  if (!service_id || service_id->empty()) return bad("the service_id query parameter is required");
  if (!plan_id || plan_id->empty()) return bad("the plan_id query parameter is required");
  return check_service(*service_id, catalog);
}

bool accepts_incomplete(const std::optional<std::string>& value) {
  return value && *value == "true";
}

}  // namespace cupola::pg_broker
