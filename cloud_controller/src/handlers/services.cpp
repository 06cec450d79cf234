// Service instances (user-provided ones, cf cups; managed ones are handed to
// managed_services.cpp) and credential bindings of apps to them, and service keys. Binding
// changes reach an app's instances at its next start or restage, as in Cloud Foundry.

#include <map>

#include "cloud_controller/src/bridge/vcap_services.h"
#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/managed_services.h"
#include "cloud_controller/src/handlers/route_json.h"
#include "cloud_controller/src/handlers/service_json.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kInstanceList{
    {"guids", "names", "space_guids", "organization_guids", "type", "service_plan_guids",
     "service_plan_names", "fields[service_plan]", "fields[service_plan.service_offering]",
     "fields[service_plan.service_offering.service_broker]"},
    {"created_at", "updated_at", "name"},
    {}};

// "included": the plans of the managed instances on the page, their offerings and brokers
// (what cf services and cf service show), whichever of the three the query's fields[...] ask.
asio::awaitable<Status> include_plans(ApiContext& api, std::vector<ServiceInstance> instances,
                                      bool plans, bool offerings, bool brokers, json::Writer& w) {
  std::vector<std::string> guids;
  for (const auto& i : instances) {
    if (i.plan_guid) guids.push_back(*i.plan_guid);
  }
  std::vector<ServicePlan> found;
  if (!guids.empty()) {
    ListQuery q;
    q.filters["guids"] = guids;
    q.per_page = kMaxPerPage;
    Viewer all;
    all.admin = true;
    auto page = co_await api.brokers.list_plans(all, q);
    if (!page) co_return std::move(page).error();
    found = std::move(page->resources);
  }
  std::map<std::string, const ServicePlan*> by_offering, by_broker;
  for (const auto& p : found) {
    by_offering.emplace(p.offering_guid, &p);
    by_broker.emplace(p.broker_guid, &p);
  }
  w.key("included").start_object();
  if (plans) {
    w.key("service_plans").start_array();
    for (const auto& p : found) {
      w.start_object().field("guid", p.guid).field("name", p.name);
      w.key("relationships").start_object().key("service_offering").start_object();
      w.key("data").start_object().field("guid", p.offering_guid).end_object();
      w.end_object().end_object().end_object();
    }
    w.end_array();
  }
  if (offerings) {
    w.key("service_offerings").start_array();
    for (const auto& [guid, p] : by_offering) {
      w.start_object().field("guid", guid).field("name", p->offering_name);
      w.key("relationships").start_object().key("service_broker").start_object();
      w.key("data").start_object().field("guid", p->broker_guid).end_object();
      w.end_object().end_object().end_object();
    }
    w.end_array();
  }
  if (brokers) {
    w.key("service_brokers").start_array();
    for (const auto& [guid, p] : by_broker) {
      w.start_object().field("guid", guid).field("name", p->broker_name).end_object();
    }
    w.end_array();
  }
  w.end_object();
  co_return Status{};
}
const ListSpec kBindingList{{"guids", "names", "app_guids", "service_instance_guids", "type"},
                            {"created_at", "updated_at", "name"},
                            {}};
const std::vector<std::string> kDevelopers{"space_developer"};
const std::vector<std::string> kBinders{"space_developer", "space_supporter"};

// The fields of a user-provided instance a create or update names, into `i`.
std::optional<CcError> read_instance_fields(ApiContext& api, const json::Value& doc,
                                            ServiceInstance& i) {
  if (auto n = doc.FindMember("name"); n != doc.MemberEnd()) {
    if (!n->value.IsString()) return unprocessable("Name must be a string");
    if (n->value.GetStringLength() == 0) return unprocessable("Name can't be blank");
    if (n->value.GetStringLength() > 255)
      return unprocessable("Name is too long (maximum is 255 characters)");
    i.name = n->value.GetString();
  }
  if (auto c = doc.FindMember("credentials"); c != doc.MemberEnd()) {
    if (!c->value.IsObject()) return unprocessable("Credentials must be an object");
    json::Writer w;
    w.value(c->value);
    auto sealed = api.secrets.seal(w.view());
    if (!sealed) return server_error();
    i.credentials_sealed = *sealed;
  }
  for (const auto& [key, out, shown] :
       {std::tuple{"syslog_drain_url", &i.syslog_drain_url, "Syslog drain url"},
        std::tuple{"route_service_url", &i.route_service_url, "Route service url"}}) {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd()) continue;
    if (it->value.IsNull()) {
      out->reset();
      continue;
    }
    if (!it->value.IsString()) return unprocessable(std::string(shown) + " must be a string");
    std::string url = it->value.GetString();
    if (std::string_view(key) == "route_service_url" && !url.starts_with("https://")) {
      return unprocessable("Route service url must use https");
    }
    *out = url;
  }
  if (auto t = doc.FindMember("tags"); t != doc.MemberEnd()) {
    if (!t->value.IsArray()) return unprocessable("Tags must be a list of strings");
    for (const auto& tag : t->value.GetArray()) {
      if (!tag.IsString()) return unprocessable("Tags must be a list of strings");
    }
    json::Writer w;
    w.value(t->value);
    i.tags_json = w.str();
  }
  return std::nullopt;
}

struct InstanceAccess {
  Caller caller;
  ServiceInstance instance;
};

// `secrets`: the caller wants credentials, which read-only admins may read anywhere.
asio::awaitable<std::variant<InstanceAccess, http::Response>> instance_access(
    ApiContext& api, http::RequestContext& ctx, std::vector<std::string> roles,
    bool secrets = false) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  Caller caller = std::get<Caller>(who);
  auto i = co_await api.services.instance(caller.viewer(), std::string(ctx.params.get("guid")));
  if (!i) co_return store_error(api, i.error());
  if (!*i) co_return error_response(not_found("Service instance"));
  if (!roles.empty() && !(secrets && caller.reads_secrets_globally())) {
    auto allowed = co_await may_in_space(api, caller, (*i)->space_guid, roles);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
  }
  co_return InstanceAccess{std::move(caller), std::move(**i)};
}

http::Response credentials_response(ApiContext& api, const std::string& sealed) {
  auto opened = api.secrets.open(sealed);
  if (!opened) {
    api.log.error("credentials-unopenable", opened.error().message);
    return error_response(server_error());
  }
  return http::json_response(http::StatusCode::ok, *opened);
}

asio::awaitable<http::Response> create_instance(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  auto type = doc.FindMember("type");
  if (type == doc.MemberEnd() || !type->value.IsString()) {
    co_return error_response(unprocessable("Type must be one of 'managed', 'user-provided'"));
  }
  std::string space_guid = related_guid(doc, "space");
  auto space = co_await api.db.space(caller.viewer(), space_guid);
  if (!space) co_return store_error(api, space.error());
  if (!*space) {
    co_return error_response(
        unprocessable("Invalid space. Ensure that the space exists and you have access to it."));
  }
  auto allowed = co_await may_in_space(api, caller, space_guid, kDevelopers);
  if (!allowed) co_return store_error(api, allowed.error());
  if (!*allowed) co_return error_response(not_authorized());
  std::string_view kind = type->value.GetString();
  if (kind == "managed") {
    std::string raw(ctx.request.body());
    co_return co_await create_managed_instance(api, caller, std::move(raw), space_guid);
  }
  if (kind != "user-provided") {
    co_return error_response(unprocessable("Type must be one of 'managed', 'user-provided'"));
  }
  ServiceInstance i;
  auto sealed = api.secrets.seal("{}");
  if (!sealed) co_return error_response(server_error());
  i.credentials_sealed = *sealed;
  if (auto e = read_instance_fields(api, doc, i)) co_return error_response(*e);
  if (i.name.empty()) co_return error_response(unprocessable("Name can't be blank"));
  i.guid = api.guids.next();
  i.space_guid = space_guid;
  auto made = co_await api.services.create_instance(i);
  if (!made) {
    if (made.error().code == make_error_code(Errc::Conflict)) {
      co_return error_response(unprocessable(made.error().message));
    }
    co_return store_error(api, made.error());
  }
  EventTarget target{made->guid, "service_instance", made->name};
  co_await audit(api, caller, "audit.user_provided_service_instance.create", target, space_guid);
  json::Writer w;
  write_instance(w, api.urls, *made);
  co_return respond(http::StatusCode::created, w);
}

asio::awaitable<http::Response> create_binding(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  auto type = doc.FindMember("type");
  if (type == doc.MemberEnd() || !type->value.IsString() ||
      (std::string_view(type->value.GetString()) != "app" &&
       std::string_view(type->value.GetString()) != "key")) {
    co_return error_response(unprocessable("Type must be 'app' or 'key'"));
  }
  std::string instance_guid = related_guid(doc, "service_instance");
  auto instance = co_await api.services.instance(caller.viewer(), instance_guid);
  if (!instance) co_return store_error(api, instance.error());
  if (!*instance) {
    co_return error_response(
        unprocessable("The service instance could not be found: '" + instance_guid + "'"));
  }
  bool managed = (*instance)->type == "managed";
  if (std::string_view(type->value.GetString()) == "key") {
    if (!managed) {
      co_return error_response(unprocessable(
          "Service credential bindings of type 'key' are not supported for user-provided "
          "service instances."));
    }
    auto allowed = co_await may_in_space(api, caller, (*instance)->space_guid, kDevelopers);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
    std::string raw(ctx.request.body());
    std::string no_app;
    co_return co_await create_managed_binding(api, caller, std::move(raw), **instance, no_app);
  }
  std::string app_guid = related_guid(doc, "app");
  auto app = co_await api.apps.app(caller.viewer(), app_guid);
  if (!app) co_return store_error(api, app.error());
  if (!*app) {
    co_return error_response(unprocessable("The app could not be found: '" + app_guid + "'"));
  }
  auto allowed = co_await may_in_space(api, caller, (*app)->space_guid, kBinders);
  if (!allowed) co_return store_error(api, allowed.error());
  if (!*allowed) co_return error_response(not_authorized());
  if ((*app)->space_guid != (*instance)->space_guid) {
    co_return error_response(
        unprocessable("The service instance and the app are in different spaces"));
  }
  if (managed) {
    std::string raw(ctx.request.body());
    co_return co_await create_managed_binding(api, caller, std::move(raw), **instance, app_guid);
  }
  ServiceBinding b;
  b.guid = api.guids.next();
  if (auto n = doc.FindMember("name"); n != doc.MemberEnd() && n->value.IsString()) {
    b.name = std::string(n->value.GetString());
  }
  b.app_guid = app_guid;
  b.service_instance_guid = instance_guid;
  b.credentials_sealed = (*instance)->credentials_sealed;
  b.syslog_drain_url = (*instance)->syslog_drain_url;
  auto made = co_await api.services.create_binding(b);
  if (!made) {
    if (made.error().code == make_error_code(Errc::Conflict)) {
      co_return error_response(unprocessable(made.error().message));
    }
    co_return store_error(api, made.error());
  }
  EventTarget target = app_target(**app);
  std::string data = R"({"service_instance_guid": ")" + instance_guid + R"("})";
  co_await audit(api, caller, "audit.service_binding.create", target, (*app)->space_guid, data);
  json::Writer w;
  write_binding(w, api.urls, *made);
  co_return respond(http::StatusCode::created, w);
}

}  // namespace

void add_service_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/service_instances", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      bool plans = q.filter("fields[service_plan]") != nullptr;
      bool offerings = q.filter("fields[service_plan.service_offering]") != nullptr;
      bool brokers = q.filter("fields[service_plan.service_offering.service_broker]") != nullptr;
      auto page = co_await api.services.list_instances(caller.viewer(), std::move(q));
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& i : page->resources) write_instance(w, api.urls, i);
      w.end_array();
      if (plans || offerings || brokers) {
        auto st = co_await include_plans(api, page->resources, plans, offerings, brokers, w);
        if (!st) co_return std::move(st).error();
      }
      co_return page->total;
    };
    return answer_list(api, ctx, kInstanceList, "/v3/service_instances", std::move(write));
  });
  r.get("/v3/service_instances/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await instance_access(api, ctx, {});
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          json::Writer w;
          write_instance(w, api.urls, std::get<InstanceAccess>(access).instance);
          co_return respond(http::StatusCode::ok, w);
        });
  r.get("/v3/service_instances/:guid/credentials",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await instance_access(api, ctx, kDevelopers, true);
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          if (std::get<InstanceAccess>(access).instance.type == "managed") {
            co_return error_response(not_found("Service instance"));
          }
          co_return credentials_response(
              api, std::get<InstanceAccess>(access).instance.credentials_sealed);
        });
  r.post("/v3/service_instances",
         [&api](http::RequestContext& ctx) { return create_instance(api, ctx); });
  r.patch("/v3/service_instances/:guid",
          [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
            auto access = co_await instance_access(api, ctx, kDevelopers);
            if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
            ServiceInstance i = std::get<InstanceAccess>(access).instance;
            auto body = json_object_body(ctx);
            if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
            if (i.type == "managed") {
              Caller caller = std::get<InstanceAccess>(access).caller;
              std::string raw(ctx.request.body());
              co_return co_await update_managed_instance(api, caller, i, std::move(raw));
            }
            if (auto e = read_instance_fields(api, std::get<json::Document>(body), i)) {
              co_return error_response(*e);
            }
            auto saved = co_await api.services.update_instance(i);
            if (!saved) {
              if (saved.error().code == make_error_code(Errc::Conflict)) {
                co_return error_response(unprocessable(saved.error().message));
              }
              co_return store_error(api, saved.error());
            }
            json::Writer w;
            write_instance(w, api.urls, *saved);
            co_return respond(http::StatusCode::ok, w);
          });
  r.del("/v3/service_instances/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await instance_access(api, ctx, kDevelopers);
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          const auto& [caller, i] = std::get<InstanceAccess>(access);
          if (i.type == "managed") {
            bool purge = ctx.query_param("purge") == "true";
            co_return co_await delete_managed_instance(api, caller, i, purge);
          }
          std::string guid = i.guid;
          auto apps = co_await api.services.delete_instance(guid);
          if (!apps) co_return store_error(api, apps.error());
          EventTarget target{i.guid, "service_instance", i.name};
          co_await audit(api, caller, "audit.user_provided_service_instance.delete", target,
                         i.space_guid);
          co_return http::make_response(http::StatusCode::no_content, "", "");
        });

  r.get("/v3/service_credential_bindings", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await api.services.list_bindings(caller.viewer(), std::move(q));
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& b : page->resources) write_binding(w, api.urls, b);
      w.end_array();
      co_return page->total;
    };
    return answer_list(api, ctx, kBindingList, "/v3/service_credential_bindings", std::move(write));
  });
  r.post("/v3/service_credential_bindings",
         [&api](http::RequestContext& ctx) { return create_binding(api, ctx); });
  // One binding: seen by whoever sees its space; its details (credentials) by developers.
  for (const auto& [path, details] :
       {std::pair{"/v3/service_credential_bindings/:guid", false},
        std::pair{"/v3/service_credential_bindings/:guid/details", true}}) {
    bool want_details = details;
    r.get(path, [&api, want_details](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
      auto who = co_await authenticate(api, ctx);
      if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
      const Caller& caller = std::get<Caller>(who);
      auto b = co_await api.services.binding(caller.viewer(), std::string(ctx.params.get("guid")));
      if (!b) co_return store_error(api, b.error());
      if (!*b) co_return error_response(not_found("Service credential binding"));
      if (!want_details) {
        json::Writer w;
        write_binding(w, api.urls, **b);
        co_return respond(http::StatusCode::ok, w);
      }
      auto instance = co_await api.services.instance(caller.viewer(), (*b)->service_instance_guid);
      if (!instance) co_return store_error(api, instance.error());
      if (!*instance) co_return error_response(not_found("Service credential binding"));
      // Those who may not read the credentials are told there is nothing here.
      if (!caller.reads_secrets_globally()) {
        auto allowed = co_await may_in_space(api, caller, (*instance)->space_guid, kDevelopers);
        if (!allowed) co_return store_error(api, allowed.error());
        if (!*allowed) co_return error_response(not_found("Service credential binding"));
      }
      if ((*b)->operation.type == "create" && (*b)->operation.state != "succeeded") {
        co_return error_response(not_found("Service credential binding"));
      }
      auto opened = api.secrets.open((*b)->credentials_sealed);
      if (!opened) co_return error_response(server_error());
      json::Writer w;
      w.start_object().key("credentials").raw(*opened);
      optional_text(w, "syslog_drain_url", (*b)->syslog_drain_url);
      w.key("volume_mounts").start_array().end_array().end_object();
      co_return respond(http::StatusCode::ok, w);
    });
  }
  r.del("/v3/service_credential_bindings/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          const Caller& caller = std::get<Caller>(who);
          auto b =
              co_await api.services.binding(caller.viewer(), std::string(ctx.params.get("guid")));
          if (!b) co_return store_error(api, b.error());
          if (!*b) co_return error_response(not_found("Service credential binding"));
          auto instance =
              co_await api.services.instance(caller.viewer(), (*b)->service_instance_guid);
          if (!instance) co_return store_error(api, instance.error());
          if (!*instance) co_return error_response(not_found("Service credential binding"));
          auto allowed = co_await may_in_space(api, caller, (*instance)->space_guid, kDevelopers);
          if (!allowed) co_return store_error(api, allowed.error());
          if (!*allowed) co_return error_response(not_authorized());
          if ((*instance)->type == "managed") {
            co_return co_await delete_managed_binding(api, caller, **b);
          }
          std::string app_guid = (*b)->app_guid;
          auto app = co_await api.apps.app(caller.viewer(), app_guid);
          if (!app) co_return store_error(api, app.error());
          if (!*app) co_return error_response(not_found("Service credential binding"));
          std::string guid = (*b)->guid;
          if (auto st = co_await api.services.delete_binding(guid); !st) {
            co_return store_error(api, st.error());
          }
          EventTarget target = app_target(**app);
          co_await audit(api, caller, "audit.service_binding.delete", target, (*app)->space_guid);
          co_return http::make_response(http::StatusCode::no_content, "", "");
        });
}

}  // namespace cupola::cc
