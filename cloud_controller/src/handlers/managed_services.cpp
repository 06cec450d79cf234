#include "cloud_controller/src/handlers/managed_services.h"

#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/quotas.h"
#include "cloud_controller/src/handlers/route_json.h"
#include "cloud_controller/src/handlers/service_json.h"
#include "cloud_controller/src/services/operations.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const std::vector<std::string> kDevelopers{"space_developer"};

CcError invalid_plan() {
  return unprocessable(
      "Invalid service plan. Ensure that the service plan exists, is available, and you have "
      "access to it.");
}

// 409 CF-AsyncServiceInstanceOperationInProgress (60016).
CcError operation_in_progress(const std::string& name) {
  CcError e;
  e.status = http::StatusCode::conflict;
  e.code = 60016;
  e.title = "CF-AsyncServiceInstanceOperationInProgress";
  e.detail = "An operation for service instance " + name + " is in progress.";
  return e;
}

// The body's "parameters" as JSON text ("" when absent), or the refusal.
std::variant<std::string, CcError> parameters_of(const json::Value& doc) {
  auto p = doc.FindMember("parameters");
  if (p == doc.MemberEnd()) return std::string();
  if (!p->value.IsObject()) return unprocessable("Parameters must be an object");
  json::Writer w;
  w.value(p->value);
  return w.str();
}

std::variant<std::optional<std::string>, CcError> tags_of(const json::Value& doc) {
  auto t = doc.FindMember("tags");
  if (t == doc.MemberEnd()) return std::optional<std::string>();
  if (!t->value.IsArray()) return unprocessable("Tags must be a list of strings");
  for (const auto& tag : t->value.GetArray()) {
    if (!tag.IsString()) return unprocessable("Tags must be a list of strings");
  }
  json::Writer w;
  w.value(t->value);
  return std::optional<std::string>(w.str());
}

std::variant<std::optional<std::string>, CcError> name_of(const json::Value& doc) {
  auto n = doc.FindMember("name");
  if (n == doc.MemberEnd()) return std::optional<std::string>();
  if (!n->value.IsString()) return unprocessable("Name must be a string");
  if (n->value.GetStringLength() == 0) return unprocessable("Name can't be blank");
  if (n->value.GetStringLength() > 255) {
    return unprocessable("Name is too long (maximum is 255 characters)");
  }
  return std::optional<std::string>(n->value.GetString());
}

// What a create or an update of an instance says of it.
struct InstanceFields {
  std::optional<std::string> name;
  std::optional<std::string> tags_json;
  std::string parameters;  // JSON text; "" when absent
};

// The body's fields, each checked, or the first refusal. `allowed`: the fields it may have.
std::variant<InstanceFields, CcError> instance_fields(
    const json::Document& doc, std::initializer_list<std::string_view> allowed) {
  if (auto e = unknown_fields(doc, allowed)) return *e;
  InstanceFields f;
  auto name = name_of(doc);
  if (auto* e = std::get_if<CcError>(&name)) return *e;
  f.name = std::get<std::optional<std::string>>(name);
  auto tags = tags_of(doc);
  if (auto* e = std::get_if<CcError>(&tags)) return *e;
  f.tags_json = std::get<std::optional<std::string>>(tags);
  auto params = parameters_of(doc);
  if (auto* e = std::get_if<CcError>(&params)) return *e;
  f.parameters = std::get<std::string>(params);
  return f;
}

// The plan an instance in the space may use: any available plan for admins; for others one
// visible in the space.
asio::awaitable<Result<std::optional<ServicePlan>>> usable_plan(ApiContext& api, Caller caller,
                                                                std::string plan_guid,
                                                                std::string space_guid) {
  Result<std::optional<ServicePlan>> plan = std::optional<ServicePlan>();
  if (caller.admin) {
    plan = co_await api.brokers.plan(caller.viewer(), plan_guid);
  } else {
    plan = co_await api.brokers.plan_in_space(plan_guid, space_guid);
  }
  if (plan && *plan && !(*plan)->available) co_return std::optional<ServicePlan>();
  co_return plan;
}

asio::awaitable<Result<Job>> processing_job(ApiContext& api, std::string guid,
                                            std::string operation, std::string user_guid) {
  Job job;
  job.guid = std::move(guid);
  job.operation = std::move(operation);
  job.state = "PROCESSING";
  job.user_guid = std::move(user_guid);
  co_return co_await api.db.create_job(std::move(job));
}

LastOperation in_progress(std::string type) {
  LastOperation op;
  op.type = std::move(type);
  op.state = "in progress";
  return op;
}

http::Response conflict_or_error(ApiContext& api, const Error& e, const std::string& name) {
  if (e.code == make_error_code(Errc::Conflict)) return error_response(operation_in_progress(name));
  return store_error(api, e);
}

}  // namespace

asio::awaitable<std::variant<StartedInstance, http::Response>> start_managed_instance(
    ApiContext& api, Caller caller, std::string body, std::string space_guid) {
  auto parsed = json::parse(body);
  if (!parsed) co_return error_response(message_parse("Request invalid due to parse error"));
  const json::Document& doc = *parsed;
  auto read =
      instance_fields(doc, {"type", "name", "parameters", "tags", "metadata", "relationships"});
  if (auto* e = std::get_if<CcError>(&read)) co_return error_response(*e);
  const InstanceFields& fields = std::get<InstanceFields>(read);
  if (!fields.name) co_return error_response(unprocessable("Name can't be blank"));
  std::string plan_guid = related_guid(doc, "service_plan");
  auto plan = co_await usable_plan(api, caller, plan_guid, space_guid);
  if (!plan) co_return store_error(api, plan.error());
  if (!*plan) co_return error_response(invalid_plan());
  bool paid = !(*plan)->free;
  auto fits = co_await check_service_instance_quota(api, space_guid, paid);
  if (auto refusal = quota_refusal(api, fits)) co_return std::move(*refusal);

  ServiceInstance i;
  i.guid = api.guids.next();
  i.name = *fields.name;
  i.type = "managed";
  i.space_guid = space_guid;
  i.tags_json = fields.tags_json.value_or("[]");
  i.plan_guid = plan_guid;
  i.operation.type = "create";
  i.operation.state = "in progress";
  std::string job_guid = api.guids.next();
  i.job_guid = job_guid;
  auto made = co_await api.services.create_instance(i);
  if (!made) {
    if (made.error().code == make_error_code(Errc::Conflict)) {
      co_return error_response(unprocessable(made.error().message));
    }
    co_return store_error(api, made.error());
  }
  auto job = co_await processing_job(api, job_guid, "service_instance.create", caller.user_guid);
  if (!job) co_return store_error(api, job.error());
  EventTarget target{made->guid, "service_instance", made->name};
  co_await audit(api, caller, "audit.service_instance.start_create", target, space_guid);
  api.operations.provision(made->guid, fields.parameters, caller.user_guid);
  co_return StartedInstance{*made, *job};
}

asio::awaitable<std::variant<StartedInstance, http::Response>> start_managed_update(
    ApiContext& api, Caller caller, ServiceInstance instance, std::string body) {
  auto parsed = json::parse(body);
  if (!parsed) co_return error_response(message_parse("Request invalid due to parse error"));
  const json::Document& doc = *parsed;
  auto read = instance_fields(
      doc, {"name", "parameters", "tags", "metadata", "relationships", "maintenance_info"});
  if (auto* e = std::get_if<CcError>(&read)) co_return error_response(*e);
  const InstanceFields& fields = std::get<InstanceFields>(read);
  if (instance.operation.state == "in progress") {
    co_return error_response(operation_in_progress(instance.name));
  }
  std::string new_plan = related_guid(doc, "service_plan");
  std::optional<std::string> moving_to;
  if (!new_plan.empty() && new_plan != instance.plan_guid.value_or("")) {
    auto plan = co_await usable_plan(api, caller, new_plan, instance.space_guid);
    if (!plan) co_return store_error(api, plan.error());
    if (!*plan) co_return error_response(invalid_plan());
    Viewer all;
    all.admin = true;
    auto current = co_await api.brokers.plan(all, instance.plan_guid.value_or(""));
    if (!current) co_return store_error(api, current.error());
    if (*current && (*plan)->offering_guid != (*current)->offering_guid) {
      co_return error_response(unprocessable(
          "The service plan must be of the same service offering as the instance's."));
    }
    if (!(*plan)->plan_updateable) {
      co_return error_response(unprocessable("The service does not support changing plans."));
    }
    moving_to = new_plan;
  }
  if (fields.name) instance.name = *fields.name;
  if (fields.tags_json) instance.tags_json = *fields.tags_json;
  auto saved = co_await api.services.update_instance(instance);
  if (!saved) {
    if (saved.error().code == make_error_code(Errc::Conflict)) {
      co_return error_response(unprocessable(saved.error().message));
    }
    co_return store_error(api, saved.error());
  }
  const std::string& parameters = fields.parameters;
  if (!moving_to && parameters.empty()) co_return StartedInstance{*saved, std::nullopt};
  std::string job_guid = api.guids.next();
  auto begun =
      co_await api.services.begin_instance_operation(saved->guid, "update", job_guid, moving_to);
  if (!begun) co_return conflict_or_error(api, begun.error(), saved->name);
  auto job = co_await processing_job(api, job_guid, "service_instance.update", caller.user_guid);
  if (!job) co_return store_error(api, job.error());
  EventTarget target{saved->guid, "service_instance", saved->name};
  co_await audit(api, caller, "audit.service_instance.start_update", target, saved->space_guid);
  api.operations.update(saved->guid, parameters, caller.user_guid);
  saved->operation = in_progress("update");
  saved->operation_plan_guid = moving_to;
  co_return StartedInstance{*saved, *job};
}

asio::awaitable<std::variant<StartedInstance, http::Response>> start_managed_delete(
    ApiContext& api, Caller caller, ServiceInstance instance, bool purge) {
  EventTarget target{instance.guid, "service_instance", instance.name};
  if (purge) {
    if (!caller.admin) co_return error_response(not_authorized());
    auto gone = co_await api.services.delete_instance(instance.guid);
    if (!gone) co_return store_error(api, gone.error());
    co_await audit(api, caller, "audit.service_instance.purge", target, instance.space_guid);
    co_return StartedInstance{std::move(instance), std::nullopt};
  }
  std::string job_guid = api.guids.next();
  std::optional<std::string> same_plan;
  auto begun =
      co_await api.services.begin_instance_operation(instance.guid, "delete", job_guid, same_plan);
  if (!begun) co_return conflict_or_error(api, begun.error(), instance.name);
  auto job = co_await processing_job(api, job_guid, "service_instance.delete", caller.user_guid);
  if (!job) co_return store_error(api, job.error());
  co_await audit(api, caller, "audit.service_instance.start_delete", target, instance.space_guid);
  api.operations.deprovision(instance.guid, caller.user_guid);
  instance.operation = in_progress("delete");
  co_return StartedInstance{std::move(instance), *job};
}

asio::awaitable<std::variant<StartedBinding, http::Response>> start_managed_binding(
    ApiContext& api, Caller caller, std::string body, ServiceInstance instance,
    std::string app_guid) {
  auto parsed = json::parse(body);
  if (!parsed) co_return error_response(message_parse("Request invalid due to parse error"));
  const json::Document& doc = *parsed;
  auto name = name_of(doc);
  if (auto* e = std::get_if<CcError>(&name)) co_return error_response(*e);
  auto params = parameters_of(doc);
  if (auto* e = std::get_if<CcError>(&params)) co_return error_response(*e);
  bool key = app_guid.empty();
  if (key && !std::get<std::optional<std::string>>(name)) {
    co_return error_response(unprocessable("Name can't be blank"));
  }
  if (instance.operation.state == "in progress") {
    co_return error_response(operation_in_progress(instance.name));
  }
  if (instance.operation.type == "create" && instance.operation.state != "succeeded") {
    co_return error_response(unprocessable("Service instance " + instance.name +
                                           " was not created; it cannot be bound."));
  }
  Viewer all;
  all.admin = true;
  auto plan = co_await api.brokers.plan(all, instance.plan_guid.value_or(""));
  if (!plan) co_return store_error(api, plan.error());
  if (!*plan || !(*plan)->bindable) {
    co_return error_response(unprocessable("Service plan does not allow bindings."));
  }
  if (key) {
    auto fits = co_await check_service_key_quota(api, instance.space_guid);
    if (auto refusal = quota_refusal(api, fits)) co_return std::move(*refusal);
  }
  ServiceBinding b;
  b.guid = api.guids.next();
  b.name = std::get<std::optional<std::string>>(name);
  b.type = key ? "key" : "app";
  b.app_guid = app_guid;
  b.service_instance_guid = instance.guid;
  b.operation.type = "create";
  b.operation.state = "in progress";
  std::string job_guid = api.guids.next();
  b.job_guid = job_guid;
  auto made = co_await api.services.create_binding(b);
  if (!made) {
    if (made.error().code == make_error_code(Errc::Conflict)) {
      co_return error_response(unprocessable(made.error().message));
    }
    co_return store_error(api, made.error());
  }
  auto job = co_await processing_job(api, job_guid, "service_bindings.create", caller.user_guid);
  if (!job) co_return store_error(api, job.error());
  std::string data = R"({"service_instance_guid": ")" + instance.guid + R"("})";
  if (key) {
    EventTarget target{made->guid, "service_key", made->name.value_or("")};
    co_await audit(api, caller, "audit.service_key.start_create", target, instance.space_guid,
                   data);
  } else {
    EventTarget target{made->guid, "service_binding", made->name.value_or("")};
    co_await audit(api, caller, "audit.service_binding.start_create", target, instance.space_guid,
                   data);
  }
  api.operations.bind(made->guid, std::get<std::string>(params), caller.user_guid);
  co_return StartedBinding{*made, *job};
}

asio::awaitable<std::variant<StartedBinding, http::Response>> start_managed_unbinding(
    ApiContext& api, Caller caller, ServiceBinding binding) {
  std::string job_guid = api.guids.next();
  auto begun = co_await api.services.begin_binding_operation(binding.guid, "delete", job_guid);
  if (!begun) {
    if (begun.error().code == make_error_code(Errc::Conflict)) {
      CcError e = operation_in_progress(binding.name.value_or(binding.guid));
      e.title = "CF-AsyncServiceBindingOperationInProgress";
      e.code = 90008;
      e.detail =
          "An operation for the service binding between app and service instance is in "
          "progress.";
      co_return error_response(e);
    }
    co_return store_error(api, begun.error());
  }
  auto job = co_await processing_job(api, job_guid, "service_bindings.delete", caller.user_guid);
  if (!job) co_return store_error(api, job.error());
  auto instance = co_await api.services.stored_instance(binding.service_instance_guid);
  std::string space = instance ? instance->space_guid : "";
  bool key = binding.type == "key";
  EventTarget target{binding.guid, key ? "service_key" : "service_binding",
                     binding.name.value_or("")};
  std::string event = key ? "audit.service_key.start_delete" : "audit.service_binding.start_delete";
  co_await audit(api, caller, event, target, space);
  api.operations.unbind(binding.guid, caller.user_guid);
  binding.operation = in_progress("delete");
  co_return StartedBinding{std::move(binding), *job};
}

asio::awaitable<http::Response> create_managed_instance(ApiContext& api, Caller caller,
                                                        std::string body, std::string space_guid) {
  auto started = co_await start_managed_instance(api, std::move(caller), std::move(body),
                                                 std::move(space_guid));
  if (auto* refusal = std::get_if<http::Response>(&started)) co_return std::move(*refusal);
  co_return accepted_job(api, *std::get<StartedInstance>(started).job);
}

asio::awaitable<http::Response> update_managed_instance(ApiContext& api, Caller caller,
                                                        ServiceInstance instance,
                                                        std::string body) {
  auto started =
      co_await start_managed_update(api, std::move(caller), std::move(instance), std::move(body));
  if (auto* refusal = std::get_if<http::Response>(&started)) co_return std::move(*refusal);
  const auto& [saved, job] = std::get<StartedInstance>(started);
  if (job) co_return accepted_job(api, *job);
  json::Writer w;
  write_instance(w, api.urls, saved);
  co_return respond(http::StatusCode::ok, w);
}

asio::awaitable<http::Response> delete_managed_instance(ApiContext& api, Caller caller,
                                                        ServiceInstance instance, bool purge) {
  auto started = co_await start_managed_delete(api, std::move(caller), std::move(instance), purge);
  if (auto* refusal = std::get_if<http::Response>(&started)) co_return std::move(*refusal);
  const auto& job = std::get<StartedInstance>(started).job;
  if (!job) co_return http::make_response(http::StatusCode::no_content, "", "");
  co_return accepted_job(api, *job);
}

asio::awaitable<http::Response> create_managed_binding(ApiContext& api, Caller caller,
                                                       std::string body, ServiceInstance instance,
                                                       std::string app_guid) {
  auto started = co_await start_managed_binding(api, std::move(caller), std::move(body),
                                                std::move(instance), std::move(app_guid));
  if (auto* refusal = std::get_if<http::Response>(&started)) co_return std::move(*refusal);
  co_return accepted_job(api, std::get<StartedBinding>(started).job);
}

asio::awaitable<http::Response> delete_managed_binding(ApiContext& api, Caller caller,
                                                       ServiceBinding binding) {
  auto started = co_await start_managed_unbinding(api, std::move(caller), std::move(binding));
  if (auto* refusal = std::get_if<http::Response>(&started)) co_return std::move(*refusal);
  co_return accepted_job(api, std::get<StartedBinding>(started).job);
}

}  // namespace cupola::cc
