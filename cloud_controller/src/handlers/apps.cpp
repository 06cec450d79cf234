#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/storage/app_bits.h"
#include "common/asio/run_blocking.h"

namespace cupola::cc {
namespace asio = boost::asio;

std::optional<std::string> check_name(const json::Value& body, std::string& name);
std::string relationship_guid(const json::Value& body, const char* name);

namespace {

const ListSpec kAppList{{"names", "guids", "space_guids", "organization_guids"},
                        {"name", "created_at", "updated_at"},
                        {}};
const std::vector<std::string> kAnyone;  // who sees the app
const std::vector<std::string> kDevelopers{"space_developer"};
// Who reads an app's environment: it may hold credentials.
const std::vector<std::string> kEnvironmentReaders{"space_developer", "space_supporter"};

// A buildpack lifecycle from the request (or the default), as stored.
std::variant<std::string, CcError> lifecycle_of(const json::Value& body) {
  std::string stack = "cupolafs";
  std::vector<std::string> buildpacks;
  if (body.HasMember("lifecycle")) {
    const auto& l = body["lifecycle"];
    if (!l.IsObject() || !l.HasMember("type") || !l["type"].IsString() ||
        std::string_view(l["type"].GetString()) != "buildpack") {
      return unprocessable("Lifecycle type must be buildpack");
    }
    if (l.HasMember("data") && l["data"].IsObject()) {
      const auto& d = l["data"];
      if (d.HasMember("stack") && d["stack"].IsString()) stack = d["stack"].GetString();
      if (d.HasMember("buildpacks") && d["buildpacks"].IsArray()) {
        for (const auto& b : d["buildpacks"].GetArray()) {
          if (!b.IsString()) return unprocessable("Buildpacks can only contain strings");
          buildpacks.emplace_back(b.GetString());
        }
      }
    }
  }
  json::Writer w;
  w.start_object().field("type", "buildpack").key("data").start_object();
  w.key("buildpacks").start_array();
  for (const auto& b : buildpacks) w.value(b);
  w.end_array().field("stack", stack).end_object().end_object();
  return std::string(w.view());
}

// `current` with the request's "var" merged in: a string sets, null removes.
std::variant<std::string, CcError> merged_environment(const std::string& current,
                                                      const json::Value& vars) {
  if (!vars.IsObject()) return unprocessable("Var must be an object");
  auto doc = json::parse(current);
  std::map<std::string, std::string> env;
  if (doc && doc->IsObject()) {
    for (const auto& m : doc->GetObject()) {
      if (m.value.IsString()) env[m.name.GetString()] = m.value.GetString();
    }
  }
  for (const auto& m : vars.GetObject()) {
    std::string name = m.name.GetString();
    if (name.empty()) return unprocessable("Environment variable names must not be empty");
    if (name.starts_with("VCAP_")) return unprocessable("Var cannot start with VCAP_");
    if (name.starts_with("VMC_")) return unprocessable("Var cannot start with VMC_");
    if (name == "PORT") return unprocessable("Var cannot set PORT");
    if (m.value.IsNull()) {
      env.erase(name);
    } else if (m.value.IsString()) {
      env[name] = m.value.GetString();
    } else {
      json::Writer shown;
      shown.value(m.value);
      return unprocessable("Non-string value in environment variable for key '" + name +
                           "', value '" + shown.str() + "'");
    }
  }
  json::Writer w;
  w.start_object();
  for (const auto& [k, v] : env) w.field(k, v);
  w.end_object();
  return std::string(w.view());
}

http::Response environment_response(const ApiContext& api, const App& app) {
  json::Writer w;
  w.start_object().key("var").raw(app.environment_json);
  w.key("links").start_object();
  w.key("self").start_object();
  w.field("href", api.urls.api + "/v3/apps/" + app.guid + "/environment_variables");
  w.end_object();
  w.key("app").start_object().field("href", api.urls.api + "/v3/apps/" + app.guid).end_object();
  w.end_object().end_object();
  return respond(http::StatusCode::ok, w);
}

}  // namespace

void add_app_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/apps", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await api.apps.list_apps(caller.viewer(), q);
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& a : page->resources) write_app(w, api.urls, a);
      w.end_array();
      co_return page->total;
    };
    return answer_list(api, ctx, kAppList, "/v3/apps", std::move(write));
  });

  r.get("/v3/apps/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto access = co_await app_access(api, ctx, kAnyone);
    if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
    const App& app = std::get<AppAccess>(access).app;
    json::Writer w;
    write_app(w, api.urls, app);
    co_return respond(http::StatusCode::ok, w);
  });

  r.post("/v3/apps", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    auto body = json_object_body(ctx);
    if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
    const auto& doc = std::get<json::Document>(body);
    if (auto e = unknown_fields(
            doc, {"name", "relationships", "lifecycle", "environment_variables", "metadata"})) {
      co_return error_response(*e);
    }
    App app;
    if (auto problem = check_name(doc, app.name)) co_return error_response(unprocessable(*problem));
    app.space_guid = relationship_guid(doc, "space");
    auto space = co_await api.db.space(caller.viewer(), app.space_guid);
    if (!space) co_return store_error(api, space.error());
    if (!*space) {
      co_return error_response(
          unprocessable("Invalid space. Ensure that the space exists and you have access to it."));
    }
    auto allowed = co_await may_in_space(api, caller, app.space_guid, kDevelopers);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
    auto lifecycle = lifecycle_of(doc);
    if (auto* e = std::get_if<CcError>(&lifecycle)) co_return error_response(*e);
    app.lifecycle_json = std::get<std::string>(lifecycle);
    if (doc.HasMember("environment_variables")) {
      if (!doc["environment_variables"].IsObject()) {
        co_return error_response(unprocessable("Environment variables must be an object"));
      }
      auto env = merged_environment("{}", doc["environment_variables"]);
      if (auto* e = std::get_if<CcError>(&env)) co_return error_response(*e);
      app.environment_json = std::get<std::string>(env);
    }
    app.guid = api.guids.next();
    auto created = co_await api.apps.create_app(app, api.guids.next());
    if (!created) {
      if (created.error().code == make_error_code(Errc::Conflict)) {
        co_return error_response(unprocessable(created.error().message));
      }
      co_return store_error(api, created.error());
    }
    EventTarget target = app_target(*created);
    co_await audit(api, caller, "audit.app.create", target, created->space_guid);
    json::Writer w;
    write_app(w, api.urls, *created);
    co_return respond(http::StatusCode::created, w);
  });

  r.patch("/v3/apps/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto access = co_await app_access(api, ctx, kDevelopers);
    if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
    const App& app = std::get<AppAccess>(access).app;
    auto body = json_object_body(ctx);
    if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
    const auto& doc = std::get<json::Document>(body);
    if (auto e = unknown_fields(doc, {"name", "lifecycle", "metadata"})) {
      co_return error_response(*e);
    }
    App changed = app;
    if (doc.HasMember("name")) {
      if (auto problem = check_name(doc, changed.name)) {
        co_return error_response(unprocessable(*problem));
      }
    }
    if (doc.HasMember("lifecycle")) {
      auto lifecycle = lifecycle_of(doc);
      if (auto* e = std::get_if<CcError>(&lifecycle)) co_return error_response(*e);
      changed.lifecycle_json = std::get<std::string>(lifecycle);
    }
    auto saved = co_await api.apps.update_app(changed);
    if (!saved) {
      if (saved.error().code == make_error_code(Errc::Conflict)) {
        co_return error_response(unprocessable(saved.error().message));
      }
      co_return store_error(api, saved.error());
    }
    EventTarget target = app_target(*saved);
    co_await audit(api, std::get<AppAccess>(access).caller, "audit.app.update", target,
                   saved->space_guid);
    json::Writer w;
    write_app(w, api.urls, *saved);
    co_return respond(http::StatusCode::ok, w);
  });

  r.del("/v3/apps/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto access = co_await app_access(api, ctx, kDevelopers);
    if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
    const Caller& caller = std::get<AppAccess>(access).caller;
    const App& app = std::get<AppAccess>(access).app;
    // Its instances stop first: once the app is gone nothing would name their LRPs.
    if (app.state == "STARTED") {
      std::string guid = app.guid;
      std::string stopped = "STOPPED";
      if (auto st = co_await api.apps.set_state(guid, stopped); !st) {
        co_return store_error(api, st.error());
      }
      std::vector<std::string> apps{guid};
      if (auto synced = co_await api.runtime.sync_apps(apps); !synced) {
        api.log.error("stop-on-delete-failed", synced.error().message, {{"app_guid", guid}});
      }
    }
    if (app.state == "STARTED") {
      std::string guid = app.guid;
      std::string stopped = "STOPPED", started = "STARTED";
      co_await record_usage(api, guid, stopped, started);
    }
    EventTarget target = app_target(app);
    co_await audit(api, caller, "audit.app.delete-request", target, app.space_guid);
    // Its packages' and droplets' bits go once the rows are gone.
    std::vector<std::string> packages, droplets;
    {
      Viewer all;
      all.admin = true;
      ListQuery q;
      q.per_page = kMaxPerPage;
      q.filters["app_guids"] = std::vector<std::string>{app.guid};
      auto ps = co_await api.droplets.list_packages(all, q);
      if (!ps) co_return store_error(api, ps.error());
      for (const auto& p : ps->resources) packages.push_back(p.guid);
      auto ds = co_await api.droplets.list_droplets(all, q);
      if (!ds) co_return store_error(api, ds.error());
      for (const auto& d : ds->resources) droplets.push_back(d.guid);
    }
    if (auto st = co_await api.apps.delete_app(app.guid); !st) {
      co_return store_error(api, st.error());
    }
    AppBits& bits = api.bits;
    std::string app_guid = app.guid;
    auto forget = [&bits, packages, droplets, app_guid] {
      bits.remove(packages, droplets);
      bits.remove_build_cache(app_guid);
      return true;
    };
    co_await run_blocking(api.blocking, std::move(forget));
    auto job = co_await completed_job(api, "app.delete", caller.user_guid);
    if (!job) co_return store_error(api, job.error());
    co_return accepted_job(api, *job);
  });

  r.get("/v3/apps/:guid/environment_variables",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await app_access(api, ctx, kAnyone);
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          const Caller& caller = std::get<AppAccess>(access).caller;
          const App& app = std::get<AppAccess>(access).app;
          if (!caller.reads_secrets_globally()) {
            auto allowed = co_await may_in_space(api, caller, app.space_guid, kEnvironmentReaders);
            if (!allowed) co_return store_error(api, allowed.error());
            if (!*allowed) co_return error_response(not_authorized());
          }
          co_return environment_response(api, app);
        });

  r.patch("/v3/apps/:guid/environment_variables",
          [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
            auto access = co_await app_access(api, ctx, kEnvironmentReaders);
            if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
            const App& app = std::get<AppAccess>(access).app;
            auto body = json_object_body(ctx);
            if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
            const auto& doc = std::get<json::Document>(body);
            if (!doc.HasMember("var"))
              co_return error_response(unprocessable("Var must be an object"));
            auto env = merged_environment(app.environment_json, doc["var"]);
            if (auto* e = std::get_if<CcError>(&env)) co_return error_response(*e);
            App changed = app;
            changed.environment_json = std::get<std::string>(env);
            auto saved = co_await api.apps.update_app(changed);
            if (!saved) co_return store_error(api, saved.error());
            EventTarget target = app_target(*saved);
            std::string data = R"({"request": {"environment_variables": "[PRIVATE DATA HIDDEN]"}})";
            co_await audit(api, std::get<AppAccess>(access).caller, "audit.app.update", target,
                           saved->space_guid, data);
            co_return environment_response(api, *saved);
          });
}

}  // namespace cupola::cc
