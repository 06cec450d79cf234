// User-provided service instances through the v2 API (cf create-user-provided-service,
// update-user-provided-service, and rename-service and delete-service of one): the rows of
// v3's user-provided instances, made and changed at once. The cf CLI sends "" for a drain or
// route service URL it was not given, and null credentials: both mean none.

#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/v2_json.h"
#include "cloud_controller/src/handlers/v2_support.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

CcError invalid(std::string what) {
  return v2_failure(http::StatusCode::bad_request, 60003, "ServiceInstanceInvalid",
                    "The service instance is invalid: " + std::move(what));
}

// The body's fields into `i`: name, credentials, syslog_drain_url, route_service_url, tags.
std::optional<CcError> read_fields(ApiContext& api, const json::Value& doc, ServiceInstance& i) {
  if (auto n = doc.FindMember("name"); n != doc.MemberEnd()) {
    if (!n->value.IsString()) return invalid("name must be a string");
    if (n->value.GetStringLength() == 0) {
      return v2_failure(http::StatusCode::bad_request, 60001, "ServiceInstanceNameEmpty",
                        "Service instance name is required.");
    }
    if (n->value.GetStringLength() > 255) {
      return v2_failure(
          http::StatusCode::bad_request, 60009, "ServiceInstanceNameTooLong",
          "You have requested an invalid service instance name. Names are limited to 255 "
          "characters.");
    }
    i.name = n->value.GetString();
  }
  if (auto c = doc.FindMember("credentials"); c != doc.MemberEnd()) {
    if (!c->value.IsObject() && !c->value.IsNull()) return invalid("credentials must be an object");
    json::Writer w;
    if (c->value.IsNull()) {
      w.start_object().end_object();
    } else {
      w.value(c->value);
    }
    auto sealed = api.secrets.seal(w.view());
    if (!sealed) return server_error();
    i.credentials_sealed = *sealed;
  }
  for (const auto& [key, out] : {std::pair{"syslog_drain_url", &i.syslog_drain_url},
                                 std::pair{"route_service_url", &i.route_service_url}}) {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd()) continue;
    if (!it->value.IsString() && !it->value.IsNull()) {
      return invalid(std::string(key) + " must be a string");
    }
    std::string url = it->value.IsString() ? it->value.GetString() : "";
    if (url.empty()) {
      out->reset();
      continue;
    }
    if (std::string_view(key) == "route_service_url" && !url.starts_with("https://")) {
      return v2_failure(http::StatusCode::bad_request, 60019,
                        "ServiceInstanceRouteServiceURLInvalid",
                        "The route service URL is invalid: Scheme must be https");
    }
    *out = url;
  }
  if (auto t = doc.FindMember("tags"); t != doc.MemberEnd() && !t->value.IsNull()) {
    if (!t->value.IsArray()) return invalid("tags must be a list of strings");
    for (const auto& tag : t->value.GetArray()) {
      if (!tag.IsString()) return invalid("tags must be a list of strings");
    }
    json::Writer w;
    w.value(t->value);
    i.tags_json = w.str();
  }
  return std::nullopt;
}

CcError name_taken(const std::string& name) {
  return v2_failure(http::StatusCode::bad_request, 60002, "ServiceInstanceNameTaken",
                    "The service instance name is taken: " + name);
}

// A store failure, or a name taken meanwhile.
http::Response not_saved(ApiContext& api, const Error& e, const std::string& name) {
  if (e.code == make_error_code(Errc::Conflict)) return v2_error(name_taken(name));
  return v2_answer(store_error(api, e));
}

asio::awaitable<http::Response> create(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto body = v2_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  auto s = doc.FindMember("space_guid");
  std::string space_guid = s != doc.MemberEnd() && s->value.IsString() ? s->value.GetString() : "";
  auto space = co_await v2_space(api, caller, space_guid);
  if (auto* refusal = std::get_if<http::Response>(&space)) co_return std::move(*refusal);
  if (auto refusal = co_await v2_refusal_unless(api, caller, space_guid, kV2Developers)) {
    co_return std::move(*refusal);
  }
  ServiceInstance i;
  auto empty = api.secrets.seal("{}");
  if (!empty) co_return v2_answer(error_response(server_error()));
  i.credentials_sealed = *empty;
  if (auto e = read_fields(api, doc, i)) co_return v2_error(*e);
  if (i.name.empty()) {
    co_return v2_error(v2_failure(http::StatusCode::bad_request, 60001, "ServiceInstanceNameEmpty",
                                  "Service instance name is required."));
  }
  auto taken = co_await instance_name_taken(api, space_guid, i.name);
  if (!taken) co_return v2_answer(store_error(api, taken.error()));
  if (*taken) co_return v2_error(name_taken(i.name));
  i.guid = api.guids.next();
  i.space_guid = space_guid;
  auto made = co_await api.services.create_instance(i);
  if (!made) co_return not_saved(api, made.error(), i.name);
  EventTarget target{made->guid, "service_instance", made->name};
  co_await audit(api, caller, "audit.user_provided_service_instance.create", target, space_guid);
  co_return co_await answer_instance(api, caller, *made, http::StatusCode::created);
}

}  // namespace

asio::awaitable<http::Response> update_user_provided_instance(ApiContext& api,
                                                              http::RequestContext& ctx) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  std::string guid(ctx.params.get("guid"));
  auto found = co_await v2_instance(api, caller, guid);
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  ServiceInstance i = std::get<ServiceInstance>(std::move(found));
  if (i.type == "managed") co_return v2_error(service_instance_not_found(guid));
  if (auto refusal = co_await v2_refusal_unless(api, caller, i.space_guid, kV2Developers)) {
    co_return std::move(*refusal);
  }
  auto body = v2_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  std::string was = i.name;
  if (auto e = read_fields(api, std::get<json::Document>(body), i)) co_return v2_error(*e);
  if (i.name != was) {
    auto taken = co_await instance_name_taken(api, i.space_guid, i.name);
    if (!taken) co_return v2_answer(store_error(api, taken.error()));
    if (*taken) co_return v2_error(name_taken(i.name));
  }
  auto saved = co_await api.services.update_instance(i);
  if (!saved) co_return not_saved(api, saved.error(), i.name);
  EventTarget target{saved->guid, "service_instance", saved->name};
  co_await audit(api, caller, "audit.user_provided_service_instance.update", target,
                 saved->space_guid);
  co_return co_await answer_instance(api, caller, *saved, http::StatusCode::created);
}

asio::awaitable<http::Response> delete_user_provided_instance(ApiContext& api,
                                                              http::RequestContext& ctx) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  std::string guid(ctx.params.get("guid"));
  auto found = co_await v2_instance(api, caller, guid);
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  const ServiceInstance& i = std::get<ServiceInstance>(found);
  if (i.type == "managed") co_return v2_error(service_instance_not_found(guid));
  if (auto refusal = co_await v2_refusal_unless(api, caller, i.space_guid, kV2Developers)) {
    co_return std::move(*refusal);
  }
  auto apps = co_await api.services.delete_instance(guid);
  if (!apps) co_return v2_answer(store_error(api, apps.error()));
  EventTarget target{i.guid, "service_instance", i.name};
  co_await audit(api, caller, "audit.user_provided_service_instance.delete", target, i.space_guid);
  co_return http::make_response(http::StatusCode::no_content, "", "");
}

void add_v2_user_provided_routes(http::Router& r, ApiContext& api) {
  r.post("/v2/user_provided_service_instances",
         [&api](http::RequestContext& ctx) { return create(api, ctx); });
  r.put("/v2/user_provided_service_instances/:guid",
        [&api](http::RequestContext& ctx) { return update_user_provided_instance(api, ctx); });
  r.del("/v2/user_provided_service_instances/:guid",
        [&api](http::RequestContext& ctx) { return delete_user_provided_instance(api, ctx); });
}

}  // namespace cupola::cc
