// Builds (staging a package) and droplets (what staging made).

#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/staging_json.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kBuildList{{"guids", "app_guids", "states", "package_guids", "space_guids"},
                          {"created_at", "updated_at"},
                          {}};
const ListSpec kDropletList{{"guids", "app_guids", "states", "package_guids", "space_guids"},
                            {"created_at", "updated_at"},
                            {}};
const std::vector<std::string> kStagers{"space_developer", "space_supporter"};
constexpr std::int64_t kDefaultStagingMemoryMb = 1024;
constexpr std::int64_t kDefaultStagingDiskMb = 4096;

CcError package_unusable() {
  return unprocessable(
      "Unable to use package. Ensure that the package exists and you have access to it.");
}

// A positive whole number of megabytes at `key`, when present.
std::optional<CcError> read_megabytes(const json::Value& body, const char* key, const char* shown,
                                      std::int64_t& out) {
  auto it = body.FindMember(key);
  if (it == body.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsInt64() || it->value.GetInt64() < 1) {
    return unprocessable(std::string(shown) + " must be greater than 0");
  }
  out = it->value.GetInt64();
  return std::nullopt;
}

ListWriter build_writer(ApiContext& api, std::optional<std::pair<std::string, std::string>> fixed) {
  return [&api, fixed](Caller caller, ListQuery q,
                       json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
    if (fixed) q.filters[fixed->first] = std::vector<std::string>{fixed->second};
    auto page = co_await api.droplets.list_builds(caller.viewer(), std::move(q));
    if (!page) co_return std::move(page).error();
    w.key("resources").start_array();
    for (const auto& b : page->resources) write_build(w, api.urls, b);
    w.end_array();
    co_return page->total;
  };
}

ListWriter droplet_writer(ApiContext& api,
                          std::optional<std::pair<std::string, std::string>> fixed) {
  return [&api, fixed](Caller caller, ListQuery q,
                       json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
    if (fixed) q.filters[fixed->first] = std::vector<std::string>{fixed->second};
    auto page = co_await api.droplets.list_droplets(caller.viewer(), std::move(q));
    if (!page) co_return std::move(page).error();
    w.key("resources").start_array();
    for (const auto& d : page->resources) write_droplet(w, api.urls, d);
    w.end_array();
    co_return page->total;
  };
}

asio::awaitable<http::Response> create_build(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  std::string package_guid;
  if (auto pkg = doc.FindMember("package"); pkg != doc.MemberEnd() && pkg->value.IsObject()) {
    auto g = pkg->value.FindMember("guid");
    if (g != pkg->value.MemberEnd() && g->value.IsString()) package_guid = g->value.GetString();
  }
  if (package_guid.empty())
    co_return error_response(unprocessable("Package guid must be a string"));
  Build b;
  b.staging_memory_in_mb = kDefaultStagingMemoryMb;
  b.staging_disk_in_mb = kDefaultStagingDiskMb;
  if (auto e = read_megabytes(doc, "staging_memory_in_mb", "Staging memory in mb",
                              b.staging_memory_in_mb)) {
    co_return error_response(*e);
  }
  if (auto e =
          read_megabytes(doc, "staging_disk_in_mb", "Staging disk in mb", b.staging_disk_in_mb)) {
    co_return error_response(*e);
  }
  auto package = co_await api.droplets.package(caller.viewer(), package_guid);
  if (!package) co_return store_error(api, package.error());
  if (!*package) co_return error_response(package_unusable());
  auto app = co_await api.apps.app(caller.viewer(), (*package)->app_guid);
  if (!app) co_return store_error(api, app.error());
  if (!*app) co_return error_response(package_unusable());
  auto allowed = co_await may_in_space(api, caller, (*app)->space_guid, kStagers);
  if (!allowed) co_return store_error(api, allowed.error());
  if (!*allowed) co_return error_response(package_unusable());
  if ((*package)->state != "READY") {
    CcError e;
    e.status = http::StatusCode::bad_request;
    e.code = 10004;
    e.title = "CF-InvalidRequest";
    e.detail = "Bad request: Cannot stage package whose state is not ready.";
    co_return error_response(e);
  }
  b.lifecycle_json = (*app)->lifecycle_json;
  if (auto life = doc.FindMember("lifecycle"); life != doc.MemberEnd() && life->value.IsObject()) {
    json::Writer w;
    w.value(life->value);
    b.lifecycle_json = w.str();
  }
  b.guid = api.guids.next();
  b.droplet_guid = api.guids.next();
  b.app_guid = (*app)->guid;
  b.package_guid = package_guid;
  b.created_by_guid = caller.user_guid;
  b.created_by_name = caller.user_name;
  auto created = co_await api.droplets.create_build(b);
  if (!created) co_return store_error(api, created.error());
  {
    EventTarget target = app_target(**app);
    std::string data =
        R"({"build_guid": ")" + created->guid + R"(", "package_guid": ")" + package_guid + R"("})";
    co_await audit(api, caller, "audit.app.build.create", target, (*app)->space_guid, data);
  }
  Build build = *created;
  auto staged = co_await api.runtime.stage(build);
  // A buildpack that does not exist is the request's fault: 422, and the build fails.
  bool bad_buildpack = !staged && staged.error().code == make_error_code(Errc::InvalidArgument);
  if (!staged) {
    api.log.error("staging-refused", staged.error().message, {{"build_guid", build.guid}});
    build.state = "FAILED";
    build.error = bad_buildpack
                      ? staged.error().message
                      : "StagingError - Staging error: the platform did not take the staging "
                        "task (" +
                            staged.error().message + ")";
    Droplet d;
    Viewer system;
    system.admin = true;
    std::string droplet_guid = *build.droplet_guid;
    auto existing = co_await api.droplets.droplet(system, droplet_guid);
    if (existing && *existing) d = **existing;
    d.state = "FAILED";
    d.error = build.error;
    if (auto st = co_await api.droplets.update_droplet(d); !st)
      co_return store_error(api, st.error());
    auto failed = co_await api.droplets.update_build(build);
    if (!failed) co_return store_error(api, failed.error());
    build = *failed;
    if (bad_buildpack) co_return error_response(unprocessable(*build.error));
  }
  json::Writer w;
  write_build(w, api.urls, build);
  co_return respond(http::StatusCode::created, w);
}

}  // namespace

void add_build_routes(http::Router& r, ApiContext& api) {
  r.post("/v3/builds", [&api](http::RequestContext& ctx) { return create_build(api, ctx); });

  r.get("/v3/builds", [&api](http::RequestContext& ctx) {
    return answer_list(api, ctx, kBuildList, "/v3/builds", build_writer(api, std::nullopt));
  });
  r.get("/v3/builds/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    auto b = co_await api.droplets.build(std::get<Caller>(who).viewer(),
                                         std::string(ctx.params.get("guid")));
    if (!b) co_return store_error(api, b.error());
    if (!*b) co_return error_response(not_found("Build"));
    json::Writer w;
    write_build(w, api.urls, **b);
    co_return respond(http::StatusCode::ok, w);
  });
  r.get("/v3/apps/:guid/builds",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await app_access(api, ctx, {});
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          std::string guid = std::get<AppAccess>(access).app.guid;
          std::string path = "/v3/apps/" + guid + "/builds";
          auto fixed = std::make_optional(std::make_pair(std::string("app_guids"), guid));
          ListWriter write = build_writer(api, fixed);
          co_return co_await answer_list(api, ctx, kBuildList, std::move(path), std::move(write));
        });

  r.get("/v3/droplets", [&api](http::RequestContext& ctx) {
    return answer_list(api, ctx, kDropletList, "/v3/droplets", droplet_writer(api, std::nullopt));
  });
  r.get("/v3/droplets/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    auto d = co_await api.droplets.droplet(std::get<Caller>(who).viewer(),
                                           std::string(ctx.params.get("guid")));
    if (!d) co_return store_error(api, d.error());
    if (!*d) co_return error_response(not_found("Droplet"));
    json::Writer w;
    write_droplet(w, api.urls, **d);
    co_return respond(http::StatusCode::ok, w);
  });
  r.get("/v3/apps/:guid/droplets",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await app_access(api, ctx, {});
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          std::string guid = std::get<AppAccess>(access).app.guid;
          std::string path = "/v3/apps/" + guid + "/droplets";
          auto fixed = std::make_optional(std::make_pair(std::string("app_guids"), guid));
          ListWriter write = droplet_writer(api, fixed);
          co_return co_await answer_list(api, ctx, kDropletList, std::move(path), std::move(write));
        });
  r.get("/v3/packages/:guid/droplets",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          std::string guid(ctx.params.get("guid"));
          auto p = co_await api.droplets.package(std::get<Caller>(who).viewer(), guid);
          if (!p) co_return store_error(api, p.error());
          if (!*p) co_return error_response(not_found("Package"));
          std::string path = "/v3/packages/" + guid + "/droplets";
          auto fixed = std::make_optional(std::make_pair(std::string("package_guids"), guid));
          ListWriter write = droplet_writer(api, fixed);
          co_return co_await answer_list(api, ctx, kDropletList, std::move(path), std::move(write));
        });
}

}  // namespace cupola::cc
