// /v3/service_offerings, /v3/service_plans and a plan's visibility: the marketplace the
// brokers' catalogs make. Admins see every plan; others see public plans, plans made visible
// to one of their orgs, and the plans of space-scoped brokers in their spaces. The cf CLI's
// marketplace reads broker names from "included" (fields[...]=name,guid).

#include <map>

#include "cloud_controller/src/handlers/handlers.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kOfferingList{
    {"guids", "names", "service_broker_guids", "service_broker_names", "available", "space_guids",
     "organization_guids", "fields[service_broker]"},
    {"created_at", "updated_at", "name"},
    {}};
const ListSpec kPlanList{
    {"guids", "names", "service_offering_guids", "service_offering_names", "service_broker_guids",
     "service_broker_names", "broker_catalog_ids", "available", "space_guids", "organization_guids",
     "fields[service_offering.service_broker]"},
    {"created_at", "updated_at", "name"},
    {"service_offering", "space.organization"}};

void link(json::Writer& w, const char* name, const std::string& href) {
  w.key(name).start_object().field("href", href).end_object();
}

void write_offering(json::Writer& w, const Urls& urls, const ServiceOffering& o) {
  w.start_object();
  w.field("guid", o.guid).field("name", o.name).field("description", o.description);
  w.field("available", o.available)
      .key("tags")
      .raw(o.tags_json)
      .key("requires")
      .raw(o.requires_json);
  w.field("shareable", o.shareable).field("created_at", o.created_at);
  w.field("updated_at", o.updated_at).key("broker_catalog").start_object();
  w.field("id", o.broker_id).key("metadata").raw(o.metadata_json).key("features").start_object();
  w.field("plan_updateable", o.plan_updateable).field("bindable", o.bindable);
  w.field("instances_retrievable", o.instances_retrievable);
  w.field("bindings_retrievable", o.bindings_retrievable);
  w.field("allow_context_updates", o.allow_context_updates).end_object().end_object();
  w.key("relationships").start_object().key("service_broker").start_object().key("data");
  w.start_object().field("guid", o.broker_guid).end_object().end_object().end_object();
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", urls.api + "/v3/service_offerings/" + o.guid);
  link(w, "service_plans", urls.api + "/v3/service_plans?service_offering_guids=" + o.guid);
  link(w, "service_broker", urls.api + "/v3/service_brokers/" + o.broker_guid);
  w.end_object().end_object();
}

void write_plan(json::Writer& w, const Urls& urls, const ServicePlan& p) {
  w.start_object();
  w.field("guid", p.guid).field("name", p.name).field("description", p.description);
  w.field("visibility_type", p.visibility_type).field("available", p.available);
  w.field("free", p.free).key("costs").raw(p.costs_json);
  w.field("created_at", p.created_at).field("updated_at", p.updated_at);
  w.key("maintenance_info").start_object().end_object();
  w.key("broker_catalog")
      .start_object()
      .field("id", p.broker_id)
      .key("metadata")
      .raw(p.metadata_json);
  w.key("maximum_polling_duration");
  if (p.maximum_polling_duration) {
    w.value(*p.maximum_polling_duration);
  } else {
    w.value(nullptr);
  }
  w.key("features").start_object().field("plan_updateable", p.plan_updateable);
  w.field("bindable", p.bindable).end_object().end_object();
  w.key("schemas").raw(p.schemas_json);
  w.key("relationships").start_object().key("service_offering").start_object().key("data");
  w.start_object().field("guid", p.offering_guid).end_object().end_object();
  if (p.space_guid) {
    w.key("space").start_object().key("data").start_object().field("guid", *p.space_guid);
    w.end_object().end_object();
  }
  w.end_object();
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", urls.api + "/v3/service_plans/" + p.guid);
  link(w, "service_offering", urls.api + "/v3/service_offerings/" + p.offering_guid);
  link(w, "visibility", urls.api + "/v3/service_plans/" + p.guid + "/visibility");
  w.end_object().end_object();
}

void write_visibility(json::Writer& w, const PlanVisibility& v) {
  w.start_object().field("type", v.type);
  if (v.type == "organization") {
    w.key("organizations").start_array();
    for (const auto& [guid, name] : v.organizations) {
      w.start_object().field("guid", guid).field("name", name).end_object();
    }
    w.end_array();
  }
  w.end_object();
}

// The included brokers: name and guid of each, once.
template <class T>
void include_brokers(json::Writer& w, const std::vector<T>& items) {
  std::map<std::string, std::string> brokers;
  for (const auto& i : items) brokers[i.broker_guid] = i.broker_name;
  w.key("service_brokers").start_array();
  for (const auto& [guid, name] : brokers) {
    w.start_object().field("guid", guid).field("name", name).end_object();
  }
  w.end_array();
}

// A plan's visibility change (POST appends organizations, PATCH replaces), for admins.
asio::awaitable<http::Response> change_visibility(ApiContext& api, http::RequestContext& ctx,
                                                  bool append) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  std::string guid(ctx.params.get("guid"));
  auto plan = co_await api.brokers.plan(caller.viewer(), guid);
  if (!plan) co_return store_error(api, plan.error());
  if (!*plan) co_return error_response(not_found("Service plan"));
  if (!caller.admin) co_return error_response(not_authorized());
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  if (auto e = unknown_fields(doc, {"type", "organizations"})) co_return error_response(*e);
  auto type = doc.FindMember("type");
  std::string t = type != doc.MemberEnd() && type->value.IsString() ? type->value.GetString() : "";
  if (t != "public" && t != "admin" && t != "organization") {
    co_return error_response(
        unprocessable("Type must be one of 'public', 'admin', 'organization'"));
  }
  if ((*plan)->visibility_type == "space") {
    co_return error_response(
        unprocessable("Cannot update visibility of a plan of a space-scoped broker"));
  }
  std::vector<std::string> orgs;
  if (t == "organization") {
    auto list = doc.FindMember("organizations");
    if (list == doc.MemberEnd() || !list->value.IsArray() || list->value.Empty()) {
      co_return error_response(
          unprocessable("Organizations can't be empty when type is 'organization'"));
    }
    for (const auto& o : list->value.GetArray()) {
      if (!o.IsObject() || !o.HasMember("guid") || !o["guid"].IsString()) {
        co_return error_response(unprocessable("Organizations must be a list of {\"guid\": ...}"));
      }
      std::string org_guid = o["guid"].GetString();
      auto org = co_await api.db.organization(caller.viewer(), org_guid);
      if (!org) co_return store_error(api, org.error());
      if (!*org) {
        co_return error_response(unprocessable("Could not find organization '" + org_guid + "'"));
      }
      orgs.push_back(org_guid);
    }
  }
  if (auto set = co_await api.brokers.set_visibility(guid, t, orgs, append); !set) {
    co_return store_error(api, set.error());
  }
  auto v = co_await api.brokers.visibility(guid);
  if (!v) co_return store_error(api, v.error());
  json::Writer w;
  write_visibility(w, *v);
  co_return respond(http::StatusCode::ok, w);
}

}  // namespace

void add_service_offering_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/service_offerings", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      bool brokers = q.filter("fields[service_broker]") != nullptr;
      auto page = co_await api.brokers.list_offerings(caller.viewer(), std::move(q));
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& o : page->resources) write_offering(w, api.urls, o);
      w.end_array();
      if (brokers) {
        w.key("included").start_object();
        include_brokers(w, page->resources);
        w.end_object();
      }
      co_return page->total;
    };
    return answer_list(api, ctx, kOfferingList, "/v3/service_offerings", std::move(write));
  });
  r.get("/v3/service_offerings/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          auto o = co_await api.brokers.offering(std::get<Caller>(who).viewer(),
                                                 std::string(ctx.params.get("guid")));
          if (!o) co_return store_error(api, o.error());
          if (!*o) co_return error_response(not_found("Service offering"));
          json::Writer w;
          write_offering(w, api.urls, **o);
          co_return respond(http::StatusCode::ok, w);
        });
  r.get("/v3/service_plans", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      bool offerings = q.includes.contains("service_offering");
      bool brokers = q.filter("fields[service_offering.service_broker]") != nullptr;
      Viewer viewer = caller.viewer();
      auto page = co_await api.brokers.list_plans(viewer, std::move(q));
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& p : page->resources) write_plan(w, api.urls, p);
      w.end_array();
      if (offerings || brokers) {
        w.key("included").start_object();
        if (offerings) {
          ListQuery oq;
          oq.per_page = kMaxPerPage;
          std::vector<std::string> guids;
          for (const auto& p : page->resources) guids.push_back(p.offering_guid);
          oq.filters["guids"] = guids;
          auto list = co_await api.brokers.list_offerings(viewer, std::move(oq));
          if (!list) co_return std::move(list).error();
          w.key("service_offerings").start_array();
          for (const auto& o : list->resources) write_offering(w, api.urls, o);
          w.end_array();
        }
        if (brokers) include_brokers(w, page->resources);
        w.end_object();
      }
      co_return page->total;
    };
    return answer_list(api, ctx, kPlanList, "/v3/service_plans", std::move(write));
  });
  r.get("/v3/service_plans/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          auto p = co_await api.brokers.plan(std::get<Caller>(who).viewer(),
                                             std::string(ctx.params.get("guid")));
          if (!p) co_return store_error(api, p.error());
          if (!*p) co_return error_response(not_found("Service plan"));
          json::Writer w;
          write_plan(w, api.urls, **p);
          co_return respond(http::StatusCode::ok, w);
        });
  r.get("/v3/service_plans/:guid/visibility",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          const Caller& caller = std::get<Caller>(who);
          std::string guid(ctx.params.get("guid"));
          auto p = co_await api.brokers.plan(caller.viewer(), guid);
          if (!p) co_return store_error(api, p.error());
          if (!*p) co_return error_response(not_found("Service plan"));
          auto v = co_await api.brokers.visibility(guid);
          if (!v) co_return store_error(api, v.error());
          // Those who are not admins see only the organizations they are in.
          if (!caller.viewer().sees_everything()) v->organizations.clear();
          json::Writer w;
          write_visibility(w, *v);
          co_return respond(http::StatusCode::ok, w);
        });
  r.del("/v3/service_plans/:guid/visibility/:org",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          const Caller& caller = std::get<Caller>(who);
          std::string guid(ctx.params.get("guid"));
          auto p = co_await api.brokers.plan(caller.viewer(), guid);
          if (!p) co_return store_error(api, p.error());
          if (!*p) co_return error_response(not_found("Service plan"));
          if (!caller.admin) co_return error_response(not_authorized());
          auto gone =
              co_await api.brokers.remove_visibility(guid, std::string(ctx.params.get("org")));
          if (!gone) {
            if (gone.error().code == make_error_code(Errc::NotFound)) {
              co_return error_response(not_found("Service plan visibility"));
            }
            co_return store_error(api, gone.error());
          }
          co_return http::make_response(http::StatusCode::no_content, "", "");
        });
  r.post("/v3/service_plans/:guid/visibility",
         [&api](http::RequestContext& ctx) { return change_visibility(api, ctx, true); });
  r.patch("/v3/service_plans/:guid/visibility",
          [&api](http::RequestContext& ctx) { return change_visibility(api, ctx, false); });
}

}  // namespace cupola::cc
