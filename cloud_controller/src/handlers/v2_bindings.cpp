// Service bindings and keys through the v2 API (cf bind-service, unbind-service,
// create-service-key, service-keys, service-key, delete-service-key): v3's credential bindings
// of type "app" and "key". A managed binding waits a short while for its broker, as instances
// do (v2_services.cpp); keys, which v2 makes synchronously, wait for the end (bounded).

#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/managed_services.h"
#include "cloud_controller/src/handlers/v2_json.h"
#include "cloud_controller/src/handlers/v2_support.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const std::vector<std::string> kBindingAttributes{"app_guid", "service_instance_guid", "name"};
const std::vector<std::string> kKeyAttributes{"name", "service_instance_guid"};

Viewer everyone() {
  Viewer v;
  v.admin = true;
  return v;
}

std::string text_member(const json::Value& doc, const char* key) {
  auto it = doc.FindMember(key);
  return it != doc.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

// The body without its null members: the cf CLI sends "parameters": null for none.
std::string without_nulls(const json::Value& doc) {
  json::Writer w;
  w.start_object();
  for (const auto& m : doc.GetObject()) {
    if (!m.value.IsNull()) w.key({m.name.GetString(), m.name.GetStringLength()}).value(m.value);
  }
  w.end_object();
  return w.str();
}

CcError already_bound() {
  return v2_failure(http::StatusCode::bad_request, 90003, "ServiceBindingAppServiceTaken",
                    "The app is already bound to the service instance.");
}

// A list of app bindings (`key` false) or keys, of `instance_guid` when it is not "".
V2ListWriter binding_list(ApiContext& api, bool key, std::string instance_guid) {
  return [&api, key, instance_guid](
             Caller caller, V2Query q,
             json::Writer& w) -> asio::awaitable<std::variant<std::int64_t, http::Response>> {
    if (!instance_guid.empty()) {
      auto found = co_await v2_instance(api, caller, instance_guid);
      if (auto* refusal = std::get_if<http::Response>(&found)) co_return *refusal;
    }
    ListQuery lq = store_query(q);
    lq.filters["type"] = {key ? "key" : "app"};
    for (const auto& [attribute, filter] :
         {std::pair{"app_guid", "app_guids"},
          std::pair{"service_instance_guid", "service_instance_guids"},
          std::pair{"name", "names"}}) {
      if (const auto* v = q.filter(attribute)) lq.filters[filter] = *v;
    }
    if (!instance_guid.empty()) lq.filters["service_instance_guids"] = {instance_guid};
    auto page = co_await api.services.list_bindings(caller.viewer(), std::move(lq));
    if (!page) co_return store_error(api, page.error());
    auto shown = co_await shown_bindings(api, caller, std::move(page->resources));
    if (!shown) co_return store_error(api, shown.error());
    w.key("resources").start_array();
    for (const auto& b : *shown) key ? write_v2_key(w, b) : write_v2_binding(w, b);
    w.end_array();
    co_return page->total;
  };
}

// One binding or key as the answer, with the credentials the caller may see.
asio::awaitable<http::Response> answer_binding(ApiContext& api, Caller caller, ServiceBinding b,
                                               http::StatusCode status) {
  bool key = b.type == "key";
  std::vector<ServiceBinding> one;
  one.push_back(std::move(b));
  auto shown = co_await shown_bindings(api, std::move(caller), std::move(one));
  if (!shown) co_return v2_answer(store_error(api, shown.error()));
  json::Writer w;
  key ? write_v2_key(w, shown->front()) : write_v2_binding(w, shown->front());
  co_return respond(status, w);
}

// The answer once a managed bind or unbind settled (see settled_answer in v2_services.cpp).
asio::awaitable<http::Response> settled_answer(ApiContext& api, Caller caller, std::string guid,
                                               bool until_accepted) {
  auto settled = co_await settled_binding(api, guid, until_accepted);
  if (!settled) co_return v2_answer(store_error(api, settled.error()));
  if (!*settled) co_return http::make_response(http::StatusCode::no_content, "", "");
  const ServiceBinding& b = **settled;
  if (b.operation.state == "failed") co_return v2_error(broker_failed(b.operation.description));
  bool working = b.operation.state == "in progress";
  co_return co_await answer_binding(
      api, std::move(caller), b, working ? http::StatusCode::accepted : http::StatusCode::created);
}

// The binding or key (`key`) the route's :guid names, if the caller sees it, and its instance.
struct Bound {
  ServiceBinding binding;
  ServiceInstance instance;
};
asio::awaitable<std::variant<Bound, http::Response>> bound(ApiContext& api, const Caller& caller,
                                                           std::string guid, bool key) {
  auto b = co_await api.services.binding(caller.viewer(), guid);
  if (!b) co_return v2_answer(store_error(api, b.error()));
  if (!*b || ((*b)->type == "key") != key) {
    co_return v2_error(key ? key_not_found(guid) : binding_not_found(guid));
  }
  auto instance = co_await v2_instance(api, caller, (*b)->service_instance_guid);
  if (auto* refusal = std::get_if<http::Response>(&instance)) co_return std::move(*refusal);
  co_return Bound{std::move(**b), std::get<ServiceInstance>(std::move(instance))};
}

asio::awaitable<http::Response> create_binding(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto body = v2_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  auto found = co_await v2_instance(api, caller, text_member(doc, "service_instance_guid"));
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  const ServiceInstance& instance = std::get<ServiceInstance>(found);
  std::string app_guid = text_member(doc, "app_guid");
  auto app = co_await api.apps.app(caller.viewer(), app_guid);
  if (!app) co_return v2_answer(store_error(api, app.error()));
  if (!*app) co_return v2_error(app_not_found(app_guid));
  if (auto refusal = co_await v2_refusal_unless(api, caller, (*app)->space_guid, kV2Binders)) {
    co_return std::move(*refusal);
  }
  if ((*app)->space_guid != instance.space_guid) {
    co_return v2_error(
        v2_failure(http::StatusCode::bad_request, 90002, "ServiceBindingDifferentSpaces",
                   "The app and the service are not in the same app space: " + app_guid + " " +
                       instance.guid));
  }
  ListQuery existing;
  existing.per_page = 1;
  existing.filters = {{"app_guids", {app_guid}}, {"service_instance_guids", {instance.guid}}};
  auto already = co_await api.services.list_bindings(everyone(), std::move(existing));
  if (!already) co_return v2_answer(store_error(api, already.error()));
  if (already->total > 0) co_return v2_error(already_bound());
  if (instance.type == "managed") {
    auto started =
        co_await start_managed_binding(api, caller, without_nulls(doc), instance, app_guid);
    if (auto* refusal = std::get_if<http::Response>(&started)) {
      co_return v2_answer(std::move(*refusal));
    }
    co_return co_await settled_answer(api, caller, std::get<StartedBinding>(started).binding.guid,
                                      ctx.query_param("accepts_incomplete") == "true");
  }
  ServiceBinding b;
  b.guid = api.guids.next();
  if (auto name = text_member(doc, "name"); !name.empty()) b.name = name;
  b.app_guid = app_guid;
  b.service_instance_guid = instance.guid;
  b.credentials_sealed = instance.credentials_sealed;
  b.syslog_drain_url = instance.syslog_drain_url;
  auto made = co_await api.services.create_binding(b);
  if (!made) {
    if (made.error().code == make_error_code(Errc::Conflict)) co_return v2_error(already_bound());
    co_return v2_answer(store_error(api, made.error()));
  }
  std::string data = R"({"service_instance_guid": ")" + instance.guid + R"("})";
  co_await audit(api, caller, "audit.service_binding.create", app_target(**app), (*app)->space_guid,
                 data);
  co_return co_await answer_binding(api, caller, *made, http::StatusCode::created);
}

asio::awaitable<http::Response> create_key(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto body = v2_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  auto found = co_await v2_instance(api, caller, text_member(doc, "service_instance_guid"));
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  const ServiceInstance& instance = std::get<ServiceInstance>(found);
  if (auto refusal = co_await v2_refusal_unless(api, caller, instance.space_guid, kV2Developers)) {
    co_return std::move(*refusal);
  }
  if (instance.type != "managed") {
    co_return v2_error(
        v2_failure(http::StatusCode::bad_request, 360004, "ServiceKeyNotSupported",
                   "Service keys are not supported for user-provided service instances."));
  }
  std::string name = text_member(doc, "name");
  ListQuery existing;
  existing.per_page = 1;
  existing.filters = {
      {"type", {"key"}}, {"names", {name}}, {"service_instance_guids", {instance.guid}}};
  auto already = co_await api.services.list_bindings(everyone(), std::move(existing));
  if (!already) co_return v2_answer(store_error(api, already.error()));
  if (already->total > 0) {
    co_return v2_error(v2_failure(http::StatusCode::bad_request, 360001, "ServiceKeyNameTaken",
                                  "The service key name is taken: " + name));
  }
  auto started = co_await start_managed_binding(api, caller, without_nulls(doc), instance, "");
  if (auto* refusal = std::get_if<http::Response>(&started)) {
    co_return v2_answer(std::move(*refusal));
  }
  co_return co_await settled_answer(api, caller, std::get<StartedBinding>(started).binding.guid,
                                    false);
}

// DELETE of a binding (`key` false) or key.
asio::awaitable<http::Response> delete_binding(ApiContext& api, http::RequestContext& ctx,
                                               bool key) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto found = co_await bound(api, caller, std::string(ctx.params.get("guid")), key);
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  auto& [binding, instance] = std::get<Bound>(found);
  if (auto refusal = co_await v2_refusal_unless(api, caller, instance.space_guid, kV2Developers)) {
    co_return std::move(*refusal);
  }
  if (instance.type == "managed") {
    auto started = co_await start_managed_unbinding(api, caller, binding);
    if (auto* refusal = std::get_if<http::Response>(&started)) {
      co_return v2_answer(std::move(*refusal));
    }
    bool until_accepted = !key && ctx.query_param("accepts_incomplete") == "true";
    co_return co_await settled_answer(api, caller, binding.guid, until_accepted);
  }
  auto app = co_await api.apps.app(everyone(), binding.app_guid);
  if (!app) co_return v2_answer(store_error(api, app.error()));
  if (auto st = co_await api.services.delete_binding(binding.guid); !st) {
    co_return v2_answer(store_error(api, st.error()));
  }
  if (*app) {
    co_await audit(api, caller, "audit.service_binding.delete", app_target(**app),
                   (*app)->space_guid);
  }
  co_return http::make_response(http::StatusCode::no_content, "", "");
}

asio::awaitable<http::Response> get_binding(ApiContext& api, http::RequestContext& ctx, bool key) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  auto found = co_await bound(api, std::get<Caller>(who), std::string(ctx.params.get("guid")), key);
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  co_return co_await answer_binding(
      api, std::get<Caller>(who), std::get<Bound>(std::move(found)).binding, http::StatusCode::ok);
}

}  // namespace

void add_v2_binding_routes(http::Router& r, ApiContext& api) {
  for (bool key : {false, true}) {
    std::string base = key ? "/v2/service_keys" : "/v2/service_bindings";
    r.get(base, [&api, key, base](http::RequestContext& ctx) {
      return answer_v2_list(api, ctx, key ? kKeyAttributes : kBindingAttributes, base,
                            binding_list(api, key, ""));
    });
    r.get(base + "/:guid",
          [&api, key](http::RequestContext& ctx) { return get_binding(api, ctx, key); });
    r.del(base + "/:guid",
          [&api, key](http::RequestContext& ctx) { return delete_binding(api, ctx, key); });
  }
  r.post("/v2/service_bindings",
         [&api](http::RequestContext& ctx) { return create_binding(api, ctx); });
  r.post("/v2/service_keys", [&api](http::RequestContext& ctx) { return create_key(api, ctx); });
  for (const auto& [kind, key] :
       {std::pair{"/v2/service_instances/:guid/service_bindings", false},
        std::pair{"/v2/user_provided_service_instances/:guid/service_bindings", false},
        std::pair{"/v2/service_instances/:guid/service_keys", true}}) {
    std::string pattern = kind;
    bool keys = key;
    r.get(pattern, [&api, keys, pattern](http::RequestContext& ctx) {
      std::string guid(ctx.params.get("guid"));
      std::string path = pattern.substr(0, pattern.find(":guid")) + guid +
                         (keys ? "/service_keys" : "/service_bindings");
      return answer_v2_list(api, ctx, keys ? kKeyAttributes : kBindingAttributes, path,
                            binding_list(api, keys, guid));
    });
  }
}

}  // namespace cupola::cc
