// Routes and their destinations. A change of destinations reaches the apps' instances at
// once: their desired LRPs carry the new hostnames.

#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/quotas.h"
#include "cloud_controller/src/handlers/route_json.h"
#include "cloud_controller/src/handlers/settings.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kRouteList{
    {"guids", "hosts", "paths", "domain_guids", "space_guids", "organization_guids", "app_guids"},
    {"created_at", "updated_at"},
    {}};
const std::vector<std::string> kDevelopers{"space_developer"};
const std::vector<std::string> kMappers{"space_developer", "space_supporter"};

// Cloud Foundry's host rule: "*" or letters, digits, '_' and '-', at most 63 characters.
std::optional<CcError> check_host(const std::string& host) {
  if (host == "*") return std::nullopt;
  if (host.size() > 63) return unprocessable("Host is too long (maximum is 63 characters)");
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      return unprocessable(
          "Host must be either \"*\" or contain only alphanumeric characters, \"_\", or \"-\"");
    }
  }
  return std::nullopt;
}

std::optional<CcError> check_path(const std::string& path) {
  if (path.empty()) return std::nullopt;
  if (path == "/") return unprocessable("Path cannot be exactly '/'");
  if (path.front() != '/') return unprocessable("Path must begin with /");
  if (path.find('?') != std::string::npos) return unprocessable("Path cannot contain '?'");
  if (path.size() > 128) return unprocessable("Path cannot exceed 128 characters");
  return std::nullopt;
}

// Has the platform follow the apps' new routes; failures are left to the periodic sync.
asio::awaitable<void> resync(ApiContext& api, std::vector<std::string> apps) {
  if (apps.empty()) co_return;
  if (auto st = co_await api.runtime.sync_apps(apps); !st) {
    api.log.error("route-sync-failed", st.error().message);
  }
}

struct RouteAccess {
  Caller caller;
  Route route;
};

// The route the path's :guid names, when the caller sees it and (unless `roles` is empty) is
// an admin or holds one of `roles` in its space.
asio::awaitable<std::variant<RouteAccess, http::Response>> route_access(
    ApiContext& api, http::RequestContext& ctx, std::vector<std::string> roles) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  Caller caller = std::get<Caller>(who);
  auto r = co_await api.routes.route(caller.viewer(), std::string(ctx.params.get("guid")));
  if (!r) co_return store_error(api, r.error());
  if (!*r) co_return error_response(not_found("Route"));
  if (!roles.empty()) {
    auto allowed = co_await may_in_space(api, caller, (*r)->space_guid, roles);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
  }
  co_return RouteAccess{std::move(caller), std::move(**r)};
}

asio::awaitable<http::Response> create_route(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  if (auto e =
          unknown_fields(doc, {"host", "path", "port", "relationships", "options", "metadata"})) {
    co_return error_response(*e);
  }
  Route route;
  for (auto [key, out] : {std::pair{"host", &route.host}, std::pair{"path", &route.path}}) {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd() || it->value.IsNull()) continue;
    if (!it->value.IsString()) {
      std::string what = std::string(key) == "host" ? "Host" : "Path";
      co_return error_response(unprocessable(what + " must be a string"));
    }
    *out = it->value.GetString();
  }
  if (auto e = check_host(route.host)) co_return error_response(*e);
  if (auto e = check_path(route.path)) co_return error_response(*e);
  std::string space_guid = related_guid(doc, "space");
  std::string domain_guid = related_guid(doc, "domain");
  // Cloud Foundry asks whether the space exists, then whether the caller may route in it.
  Viewer everything;
  everything.admin = true;
  auto space = co_await api.db.space(everything, space_guid);
  if (!space) co_return store_error(api, space.error());
  if (!*space) {
    co_return error_response(
        unprocessable("Invalid space. Ensure that the space exists and you have access to it."));
  }
  auto allowed = co_await may_in_space(api, caller, space_guid, kMappers);
  if (!allowed) co_return store_error(api, allowed.error());
  if (!*allowed) co_return error_response(not_authorized());
  auto domain = co_await api.routes.domain(caller.viewer(), domain_guid);
  if (!caller.admin) {
    if (auto off = co_await refuse_unless_enabled(api, "route_creation")) co_return std::move(*off);
  }
  if (!domain) co_return store_error(api, domain.error());
  if (!*domain || ((*domain)->organization_guid &&
                   *(*domain)->organization_guid != (*space)->organization_guid)) {
    co_return error_response(
        unprocessable("Invalid domain. Ensure that the domain exists and you have access to it."));
  }
  if (route.host.empty() && !(*domain)->organization_guid) {
    co_return error_response(
        unprocessable("Missing host. Routes in shared domains must have a host defined."));
  }
  auto check = co_await check_route_quota(api, space_guid);
  if (auto refusal = quota_refusal(api, check)) co_return std::move(*refusal);
  route.guid = api.guids.next();
  route.space_guid = space_guid;
  route.domain_guid = domain_guid;
  route.domain_name = (*domain)->name;
  auto created = co_await api.routes.create_route(route);
  if (!created) {
    if (created.error().code == make_error_code(Errc::Conflict)) {
      co_return error_response(unprocessable(created.error().message));
    }
    co_return store_error(api, created.error());
  }
  EventTarget target{created->guid, "route", created->host};
  co_await audit(api, caller, "audit.route.create", target, created->space_guid);
  json::Writer w;
  write_route(w, api.urls, *created);
  co_return respond(http::StatusCode::created, w);
}

// POST (add) or PATCH (replace) a route's destinations: apps of the route's space.
asio::awaitable<http::Response> change_destinations(ApiContext& api, http::RequestContext& ctx,
                                                    bool replace) {
  auto access = co_await route_access(api, ctx, kMappers);
  if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
  const Caller& caller = std::get<RouteAccess>(access).caller;
  Route route = std::get<RouteAccess>(access).route;
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  auto list = doc.FindMember("destinations");
  if (list == doc.MemberEnd() || !list->value.IsArray()) {
    co_return error_response(unprocessable("Destinations must be an array"));
  }
  std::vector<Destination> wanted;
  for (const auto& d : list->value.GetArray()) {
    Destination dest;
    if (d.IsObject()) {
      if (auto app = d.FindMember("app"); app != d.MemberEnd() && app->value.IsObject()) {
        auto g = app->value.FindMember("guid");
        if (g != app->value.MemberEnd() && g->value.IsString())
          dest.app_guid = g->value.GetString();
        auto p = app->value.FindMember("process");
        if (p != app->value.MemberEnd() && p->value.IsObject()) {
          auto t = p->value.FindMember("type");
          if (t != p->value.MemberEnd() && t->value.IsString()) {
            dest.process_type = t->value.GetString();
          }
        }
      }
      if (auto port = d.FindMember("port"); port != d.MemberEnd() && port->value.IsInt64()) {
        dest.port = port->value.GetInt64();
      }
    }
    if (dest.app_guid.empty()) {
      co_return error_response(unprocessable("Destinations must each have an app guid"));
    }
    auto app = co_await api.apps.app(caller.viewer(), dest.app_guid);
    if (!app) co_return store_error(api, app.error());
    if (!*app || (*app)->space_guid != route.space_guid) {
      co_return error_response(unprocessable("App(s) with guid(s) \"" + dest.app_guid +
                                             "\" do not exist or you do not have access."));
    }
    dest.guid = api.guids.next();
    wanted.push_back(std::move(dest));
  }
  std::string guid = route.guid;
  auto apps = co_await api.routes.set_destinations(guid, wanted, replace);
  if (!apps) co_return store_error(api, apps.error());
  for (const auto& d : wanted) {
    EventTarget target{d.app_guid, "app", ""};
    std::string data = R"({"route_guid": ")" + route.guid + R"(", "route": ")" + route.url() +
                       R"(", "destination_guid": ")" + d.guid + R"("})";
    co_await audit(api, caller, "audit.app.map-route", target, route.space_guid, data);
  }
  co_await resync(api, *apps);
  Viewer all;
  all.admin = true;
  auto fresh = co_await api.routes.route(all, guid);
  if (!fresh) co_return store_error(api, fresh.error());
  if (!*fresh) co_return error_response(not_found("Route"));
  json::Writer w;
  write_destination_list(w, api.urls, **fresh);
  co_return respond(http::StatusCode::ok, w);
}

ListWriter route_writer(ApiContext& api, std::optional<std::string> app_guid) {
  return [&api, app_guid](Caller caller, ListQuery q,
                          json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
    if (app_guid) q.filters["app_guids"] = std::vector<std::string>{*app_guid};
    auto page = co_await api.routes.list_routes(caller.viewer(), std::move(q));
    if (!page) co_return std::move(page).error();
    w.key("resources").start_array();
    for (const auto& r : page->resources) write_route(w, api.urls, r);
    w.end_array();
    co_return page->total;
  };
}

}  // namespace

void add_route_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/routes", [&api](http::RequestContext& ctx) {
    return answer_list(api, ctx, kRouteList, "/v3/routes", route_writer(api, std::nullopt));
  });
  r.get("/v3/apps/:guid/routes",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await app_access(api, ctx, {});
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          std::string guid = std::get<AppAccess>(access).app.guid;
          std::string path = "/v3/apps/" + guid + "/routes";
          std::optional<std::string> app = guid;
          ListWriter write = route_writer(api, app);
          co_return co_await answer_list(api, ctx, kRouteList, std::move(path), std::move(write));
        });
  r.get("/v3/routes/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto access = co_await route_access(api, ctx, {});
    if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
    json::Writer w;
    write_route(w, api.urls, std::get<RouteAccess>(access).route);
    co_return respond(http::StatusCode::ok, w);
  });
  r.post("/v3/routes", [&api](http::RequestContext& ctx) { return create_route(api, ctx); });
  r.del("/v3/routes/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto access = co_await route_access(api, ctx, kMappers);
    if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
    const auto& route = std::get<RouteAccess>(access).route;
    std::vector<std::string> apps;
    for (const auto& d : route.destinations) apps.push_back(d.app_guid);
    if (auto st = co_await api.routes.delete_route(route.guid); !st) {
      co_return store_error(api, st.error());
    }
    EventTarget target{route.guid, "route", route.host};
    co_await audit(api, std::get<RouteAccess>(access).caller, "audit.route.delete-request", target,
                   route.space_guid);
    co_await resync(api, apps);
    auto job =
        co_await completed_job(api, "route.delete", std::get<RouteAccess>(access).caller.user_guid);
    if (!job) co_return store_error(api, job.error());
    co_return accepted_job(api, *job);
  });

  r.get("/v3/routes/:guid/destinations",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await route_access(api, ctx, {});
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          json::Writer w;
          write_destination_list(w, api.urls, std::get<RouteAccess>(access).route);
          co_return respond(http::StatusCode::ok, w);
        });
  r.post("/v3/routes/:guid/destinations",
         [&api](http::RequestContext& ctx) { return change_destinations(api, ctx, false); });
  r.patch("/v3/routes/:guid/destinations",
          [&api](http::RequestContext& ctx) { return change_destinations(api, ctx, true); });
  r.del("/v3/routes/:guid/destinations/:destination",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await route_access(api, ctx, kMappers);
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          std::string route = std::get<RouteAccess>(access).route.guid;
          std::string destination(ctx.params.get("destination"));
          auto app = co_await api.routes.remove_destination(route, destination);
          if (!app) {
            if (app.error().code == make_error_code(Errc::NotFound)) {
              co_return error_response(not_found("Destination"));
            }
            co_return store_error(api, app.error());
          }
          std::vector<std::string> apps{*app};
          co_await resync(api, apps);
          const RouteAccess& ra = std::get<RouteAccess>(access);
          EventTarget target{*app, "app", ""};
          std::string data = R"({"route_guid": ")" + route + R"(", "route": ")" + ra.route.url() +
                             R"(", "destination_guid": ")" + destination + R"("})";
          co_await audit(api, ra.caller, "audit.app.unmap-route", target, ra.route.space_guid,
                         data);
          co_return http::make_response(http::StatusCode::no_content, "", "");
        });

  // cf delete-orphaned-routes
  r.del("/v3/spaces/:guid/routes",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          const Caller& caller = std::get<Caller>(who);
          std::string space(ctx.params.get("guid"));
          auto s = co_await api.db.space(caller.viewer(), space);
          if (!s) co_return store_error(api, s.error());
          if (!*s) co_return error_response(not_found("Space"));
          if (ctx.query_param("unmapped") != std::optional<std::string>("true")) {
            co_return error_response(
                bad_query("Mass delete not supported for routes. Use 'unmapped=true' parameter "
                          "to delete all unmapped routes."));
          }
          auto allowed = co_await may_in_space(api, caller, space, kDevelopers);
          if (!allowed) co_return store_error(api, allowed.error());
          if (!*allowed) co_return error_response(not_authorized());
          if (auto n = co_await api.routes.delete_unmapped_routes(space); !n) {
            co_return store_error(api, n.error());
          }
          auto job = co_await completed_job(api, "space.delete_unmapped_routes", caller.user_guid);
          if (!job) co_return store_error(api, job.error());
          co_return accepted_job(api, *job);
        });
}

}  // namespace cupola::cc
