// Apps and a space's summary through the v2 API, as far as the cf CLI's v2-based service
// commands read them: cf bind-service and unbind-service find the app by name in /v2/apps,
// cf service names bound apps from /v2/apps/:guid, and cf services lists a space's instances
// and the apps bound to each from /v2/spaces/:guid/summary. An app's instances, memory and
// disk are its web process's.

#include <map>
#include <set>

#include "cloud_controller/src/handlers/v2_json.h"
#include "cloud_controller/src/handlers/v2_support.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const std::vector<std::string> kAppAttributes{"name", "space_guid", "organization_guid"};

// The first buildpack the app's lifecycle names, if any.
std::optional<std::string> buildpack_of(const App& a) {
  auto doc = json::parse(a.lifecycle_json);
  if (!doc || !doc->IsObject()) return std::nullopt;
  auto data = doc->FindMember("data");
  if (data == doc->MemberEnd() || !data->value.IsObject()) return std::nullopt;
  auto packs = data->value.FindMember("buildpacks");
  if (packs == data->value.MemberEnd() || !packs->value.IsArray() || packs->value.Empty() ||
      !packs->value[0].IsString()) {
    return std::nullopt;
  }
  return std::string(packs->value[0].GetString());
}

void nullable(json::Writer& w, const char* key, const std::optional<std::string>& v) {
  w.key(key);
  if (v) {
    w.value(*v);
  } else {
    w.value(nullptr);
  }
}

// `web`: the app's web process (the defaults when it has none); `environment_json`: what the
// reader may see of its variables.
void write_v2_app(json::Writer& w, const App& a, const Process& web,
                  const std::string& environment_json) {
  std::string self = "/v2/apps/" + a.guid;
  w.start_object();
  write_v2_metadata(w, a.guid, self, a.created_at, a.updated_at);
  w.key("entity").start_object();
  w.field("name", a.name).field("production", false).field("space_guid", a.space_guid);
  w.key("stack_guid").value(nullptr);
  nullable(w, "buildpack", buildpack_of(a));
  w.key("detected_buildpack").value(nullptr).key("detected_buildpack_guid").value(nullptr);
  w.key("environment_json").raw(environment_json);
  w.field("memory", web.memory_in_mb).field("instances", web.instances);
  w.field("disk_quota", web.disk_in_mb).field("state", a.state).field("version", web.version);
  nullable(w, "command", web.command);
  w.field("console", false).key("debug").value(nullptr);
  w.key("staging_task_id").value(nullptr);
  w.field("package_state", a.droplet_guid ? "STAGED" : "PENDING");
  w.field("health_check_type", web.health_check_type).key("health_check_timeout");
  if (web.health_check_timeout) {
    w.value(*web.health_check_timeout);
  } else {
    w.value(nullptr);
  }
  nullable(w, "health_check_http_endpoint", web.health_check_endpoint);
  w.key("staging_failed_reason").value(nullptr).key("staging_failed_description").value(nullptr);
  w.field("diego", true).key("docker_image").value(nullptr);
  w.key("docker_credentials").start_object().key("username").value(nullptr);
  w.key("password").value(nullptr).end_object();
  w.key("package_updated_at").value(nullptr).field("detected_start_command", "");
  w.field("enable_ssh", false).key("ports").value(nullptr);
  w.field("space_url", "/v2/spaces/" + a.space_guid).field("routes_url", self + "/routes");
  w.field("events_url", self + "/events");
  w.field("service_bindings_url", self + "/service_bindings");
  w.field("route_mappings_url", self + "/route_mappings");
  w.end_object().end_object();
}

// The web process of each app, by app guid.
asio::awaitable<Result<std::map<std::string, Process>>> web_processes(
    ApiContext& api, const Caller& caller, const std::vector<App>& apps) {
  std::map<std::string, Process> out;
  if (apps.empty()) co_return out;
  ListQuery q;
  q.per_page = kMaxPerPage;
  q.filters["types"] = {"web"};
  for (const auto& a : apps) q.filters["app_guids"].push_back(a.guid);
  auto page = co_await api.apps.list_processes(caller.viewer(), std::move(q));
  if (!page) co_return std::move(page).error();
  for (auto& p : page->resources) out.emplace(p.app_guid, std::move(p));
  co_return out;
}

// The apps as v2 resources (JSON texts) for the caller.
asio::awaitable<Result<std::vector<std::string>>> rendered_apps(ApiContext& api, Caller caller,
                                                                std::vector<App> apps) {
  auto webs = co_await web_processes(api, caller, apps);
  if (!webs) co_return std::move(webs).error();
  std::map<std::string, bool> reads;  // by space
  std::vector<std::string> out;
  for (const auto& a : apps) {
    if (!reads.contains(a.space_guid)) {
      auto may = co_await reads_credentials(api, caller, a.space_guid);
      if (!may) co_return std::move(may).error();
      reads[a.space_guid] = *may;
    }
    auto web = webs->find(a.guid);
    json::Writer w;
    write_v2_app(w, a, web == webs->end() ? Process{} : web->second,
                 reads[a.space_guid] ? a.environment_json : std::string(kRedactedCredentials));
    out.push_back(w.str());
  }
  co_return out;
}

void write_summary_instance(json::Writer& w, const ServiceInstance& i, const ServicePlan* plan,
                            std::size_t bound_apps) {
  w.start_object().field("guid", i.guid).field("name", i.name);
  w.field("bound_app_count", bound_apps).field("type", v2_instance_type(i));
  if (i.type == "managed") {
    w.key("last_operation").start_object().field("type", i.operation.type);
    w.field("state", i.operation.state).field("description", i.operation.description);
    w.field("updated_at", i.operation.updated_at).field("created_at", i.operation.created_at);
    w.end_object();
    nullable(w, "dashboard_url", i.dashboard_url);
    w.key("shared_from").value(nullptr).key("shared_to").start_array().end_array();
    w.field("service_broker_name", plan ? plan->broker_name : "");
    w.key("maintenance_info").start_object().end_object();
    w.key("service_plan").start_object().field("guid", i.plan_guid.value_or(""));
    w.field("name", plan ? plan->name : i.plan_name);
    w.key("maintenance_info").start_object().end_object();
    w.key("service").start_object().field("guid", plan ? plan->offering_guid : "");
    w.field("label", plan ? plan->offering_name : i.offering_name);
    w.key("provider").value(nullptr).key("version").value(nullptr).end_object();
    w.end_object();
  }
  w.end_object();
}

// GET /v2/spaces/:guid/summary: the space's apps (with the names of the instances bound to
// each) and its service instances (with their plans, services and brokers).
asio::awaitable<http::Response> space_summary(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto found = co_await v2_space(api, caller, std::string(ctx.params.get("guid")));
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  const Space& space = std::get<Space>(found);
  ListQuery in_space;
  in_space.per_page = kMaxPerPage;
  in_space.order_by = "name";
  in_space.filters["space_guids"] = {space.guid};
  auto instances = co_await api.services.list_instances(caller.viewer(), in_space);
  if (!instances) co_return v2_answer(store_error(api, instances.error()));
  auto apps = co_await api.apps.list_apps(caller.viewer(), in_space);
  if (!apps) co_return v2_answer(store_error(api, apps.error()));
  auto plans = co_await plans_of(api, instances->resources);
  if (!plans) co_return v2_answer(store_error(api, plans.error()));
  auto webs = co_await web_processes(api, caller, apps->resources);
  if (!webs) co_return v2_answer(store_error(api, webs.error()));
  std::map<std::string, std::string> names;               // instance guid → name
  std::map<std::string, std::vector<std::string>> bound;  // app guid → instance names
  std::map<std::string, std::set<std::string>> apps_of;   // instance guid → app guids
  if (!instances->resources.empty()) {
    ListQuery q;
    q.per_page = kMaxPerPage;
    q.filters["type"] = {"app"};
    for (const auto& i : instances->resources) {
      names[i.guid] = i.name;
      q.filters["service_instance_guids"].push_back(i.guid);
    }
    auto bindings = co_await api.services.list_bindings(caller.viewer(), std::move(q));
    if (!bindings) co_return v2_answer(store_error(api, bindings.error()));
    for (const auto& b : bindings->resources) {
      bound[b.app_guid].push_back(names[b.service_instance_guid]);
      apps_of[b.service_instance_guid].insert(b.app_guid);
    }
  }
  json::Writer w;
  w.start_object().field("guid", space.guid).field("name", space.name);
  w.key("apps").start_array();
  for (const auto& a : apps->resources) {
    auto web = webs->find(a.guid);
    Process p = web == webs->end() ? Process{} : web->second;
    const auto& services = bound[a.guid];
    w.start_object().field("guid", a.guid).field("name", a.name).field("state", a.state);
    w.field("instances", p.instances).field("memory", p.memory_in_mb);
    w.field("disk_quota", p.disk_in_mb).field("service_count", services.size());
    w.key("service_names").start_array();
    for (const auto& n : services) w.value(n);
    w.end_array().end_object();
  }
  w.end_array().key("services").start_array();
  for (const auto& i : instances->resources) {
    auto plan = plans->find(i.plan_guid.value_or(""));
    write_summary_instance(w, i, plan == plans->end() ? nullptr : &plan->second,
                           apps_of[i.guid].size());
  }
  w.end_array().end_object();
  co_return respond(http::StatusCode::ok, w);
}

}  // namespace

void add_v2_app_and_space_routes(http::Router& r, ApiContext& api) {
  r.get("/v2/apps", [&api](http::RequestContext& ctx) {
    V2ListWriter write =
        [&api](Caller caller, V2Query q,
               json::Writer& w) -> asio::awaitable<std::variant<std::int64_t, http::Response>> {
      ListQuery lq = store_query(q);
      for (const auto& [attribute, filter] :
           {std::pair{"name", "names"}, std::pair{"space_guid", "space_guids"},
            std::pair{"organization_guid", "organization_guids"}}) {
        if (const auto* v = q.filter(attribute)) lq.filters[filter] = *v;
      }
      auto page = co_await api.apps.list_apps(caller.viewer(), std::move(lq));
      if (!page) co_return store_error(api, page.error());
      auto rendered = co_await rendered_apps(api, caller, std::move(page->resources));
      if (!rendered) co_return store_error(api, rendered.error());
      w.key("resources").start_array();
      for (const auto& a : *rendered) w.raw(a);
      w.end_array();
      co_return page->total;
    };
    return answer_v2_list(api, ctx, kAppAttributes, "/v2/apps", std::move(write));
  });
  r.get("/v2/apps/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await v2_authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    std::string guid(ctx.params.get("guid"));
    auto app = co_await api.apps.app(std::get<Caller>(who).viewer(), guid);
    if (!app) co_return v2_answer(store_error(api, app.error()));
    if (!*app) co_return v2_error(app_not_found(guid));
    std::vector<App> one;
    one.push_back(std::move(**app));
    auto rendered = co_await rendered_apps(api, std::get<Caller>(who), std::move(one));
    if (!rendered) co_return v2_answer(store_error(api, rendered.error()));
    co_return http::json_response(http::StatusCode::ok, std::move(rendered->front()));
  });
  r.get("/v2/spaces/:guid/summary",
        [&api](http::RequestContext& ctx) { return space_summary(api, ctx); });
}

}  // namespace cupola::cc
