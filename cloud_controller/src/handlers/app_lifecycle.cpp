// An app's current droplet, and starting, stopping and restarting it.

#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/quotas.h"
#include "cloud_controller/src/handlers/staging_json.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const std::vector<std::string> kAnyone;  // who sees the app
const std::vector<std::string> kOperators{"space_developer", "space_supporter"};

http::Response current_droplet_relationship(const ApiContext& api, const App& app) {
  std::string base = api.urls.api + "/v3/apps/" + app.guid;
  json::Writer w;
  w.start_object().key("data");
  if (app.droplet_guid) {
    w.start_object().field("guid", *app.droplet_guid).end_object();
  } else {
    w.value(nullptr);
  }
  w.key("links").start_object();
  w.key("self").start_object().field("href", base + "/relationships/current_droplet").end_object();
  w.key("related").start_object().field("href", base + "/droplets/current").end_object();
  w.end_object().end_object();
  return respond(http::StatusCode::ok, w);
}

// Records the new state and has the platform follow; the platform's failures are logged and
// left to the periodic sync, since the record is what counts.
asio::awaitable<http::Response> change_state(ApiContext& api, Caller caller, App app,
                                             std::string state, std::string event) {
  std::string guid = app.guid;
  auto saved = co_await api.apps.set_state(guid, state);
  if (!saved) co_return store_error(api, saved.error());
  EventTarget target = app_target(app);
  co_await audit(api, caller, event, target, app.space_guid);
  // A restart stops the old instances and starts new ones: two usage events per process.
  std::string started = "STARTED", stopped = "STOPPED";
  if (app.state == "STARTED") co_await record_usage(api, guid, stopped, started);
  if (state == "STARTED") co_await record_usage(api, guid, started, stopped);
  std::vector<std::string> apps{guid};
  if (auto synced = co_await api.runtime.sync_apps(apps); !synced) {
    api.log.error("sync-failed", synced.error().message, {{"app_guid", guid}});
  }
  json::Writer w;
  write_app(w, api.urls, *saved);
  co_return respond(http::StatusCode::ok, w);
}

// Starting (and restarting) needs a staged droplet.
asio::awaitable<http::Response> start(ApiContext& api, http::RequestContext& ctx) {
  auto access = co_await app_access(api, ctx, kOperators);
  if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
  const Caller& caller = std::get<AppAccess>(access).caller;
  App app = std::get<AppAccess>(access).app;
  if (!app.droplet_guid) {
    co_return error_response(unprocessable("Assign a droplet before starting this app."));
  }
  // A start of a started app keeps its instances; a restart always makes new ones.
  if (app.state == "STARTED" && ctx.request.target().find("/actions/start") != std::string::npos) {
    json::Writer w;
    write_app(w, api.urls, app);
    co_return respond(http::StatusCode::ok, w);
  }
  auto check = co_await check_start_quota(api, app);
  if (auto refusal = quota_refusal(api, check)) co_return std::move(*refusal);
  std::string started = "STARTED";
  bool restart = ctx.request.target().find("/actions/restart") != std::string::npos;
  std::string event = restart ? "audit.app.restart" : "audit.app.start";
  co_return co_await change_state(api, caller, std::move(app), std::move(started),
                                  std::move(event));
}

}  // namespace

void add_app_lifecycle_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/apps/:guid/droplets/current",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await app_access(api, ctx, kAnyone);
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          const Caller& caller = std::get<AppAccess>(access).caller;
          const App& app = std::get<AppAccess>(access).app;
          if (!app.droplet_guid) co_return error_response(not_found("Droplet"));
          std::string guid = *app.droplet_guid;
          auto d = co_await api.droplets.droplet(caller.viewer(), guid);
          if (!d) co_return store_error(api, d.error());
          if (!*d) co_return error_response(not_found("Droplet"));
          json::Writer w;
          write_droplet(w, api.urls, **d);
          co_return respond(http::StatusCode::ok, w);
        });

  r.get("/v3/apps/:guid/relationships/current_droplet",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await app_access(api, ctx, kAnyone);
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          const App& app = std::get<AppAccess>(access).app;
          if (!app.droplet_guid) co_return error_response(not_found("Droplet"));
          co_return current_droplet_relationship(api, app);
        });

  r.patch(
      "/v3/apps/:guid/relationships/current_droplet",
      [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
        auto access = co_await app_access(api, ctx, kOperators);
        if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
        const Caller& caller = std::get<AppAccess>(access).caller;
        const App& app = std::get<AppAccess>(access).app;
        auto body = json_object_body(ctx);
        if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
        const auto& doc = std::get<json::Document>(body);
        std::string guid;
        if (auto data = doc.FindMember("data"); data != doc.MemberEnd() && data->value.IsObject()) {
          auto g = data->value.FindMember("guid");
          if (g != data->value.MemberEnd() && g->value.IsString()) guid = g->value.GetString();
        }
        const CcError unusable = unprocessable(
            "Unable to assign current droplet. Ensure the droplet exists and belongs to this "
            "app.");
        if (guid.empty()) co_return error_response(unusable);
        auto d = co_await api.droplets.droplet(caller.viewer(), guid);
        if (!d) co_return store_error(api, d.error());
        if (!*d || (*d)->app_guid != app.guid) co_return error_response(unusable);
        if ((*d)->state != "STAGED") {
          co_return error_response(
              unprocessable("Unable to assign current droplet. The droplet is not staged."));
        }
        std::string app_guid = app.guid;
        std::optional<std::string> droplet = guid;
        auto saved = co_await api.apps.set_droplet(app_guid, droplet);
        if (!saved) co_return store_error(api, saved.error());
        EventTarget target = app_target(*saved);
        std::string data = R"({"request": {"droplet_guid": ")" + guid + R"("}})";
        co_await audit(api, caller, "audit.app.droplet.mapped", target, saved->space_guid, data);
        co_return current_droplet_relationship(api, *saved);
      });

  r.post("/v3/apps/:guid/actions/start",
         [&api](http::RequestContext& ctx) { return start(api, ctx); });
  r.post("/v3/apps/:guid/actions/restart",
         [&api](http::RequestContext& ctx) { return start(api, ctx); });
  r.post("/v3/apps/:guid/actions/stop",
         [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
           auto access = co_await app_access(api, ctx, kOperators);
           if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
           const Caller& caller = std::get<AppAccess>(access).caller;
           App app = std::get<AppAccess>(access).app;
           if (app.state != "STARTED") {
             json::Writer w;
             write_app(w, api.urls, app);
             co_return respond(http::StatusCode::ok, w);
           }
           std::string stopped = "STOPPED";
           std::string event = "audit.app.stop";
           co_return co_await change_state(api, caller, std::move(app), std::move(stopped),
                                           std::move(event));
         });
}

}  // namespace cupola::cc
