// What cells and the BBS call, with the signed links the bridge gave them instead of tokens:
// package and droplet downloads, droplet uploads, and staging results.

#include "cloud_controller/src/bridge/recipes.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/storage/app_bits.h"
#include "common/asio/run_blocking.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

Viewer system_viewer() {
  Viewer v;
  v.admin = true;
  return v;
}

// Whether the request carries a valid signature for its own method and path.
bool signed_request(const ApiContext& api, const http::RequestContext& ctx) {
  std::string_view target = ctx.request.target();
  std::string_view path = target.substr(0, target.find('?'));
  std::string_view method = ctx.request.method_string();
  return api.signer.verify(method, path, ctx.query(), api.clock.now());
}

http::Response refused() {
  CcError e = not_authorized();
  e.detail = "This link is not valid or has expired.";
  return error_response(e);
}

// kind: "Package", "Droplet" or "Buildpack".
asio::awaitable<http::Response> send_blob(ApiContext& api, std::string kind, std::string guid) {
  AppBits& store = api.bits;
  auto work = [&store, kind, guid] {
    if (kind == "Droplet") return store.read_droplet(guid);
    if (kind == "Buildpack") return store.read_buildpack(guid);
    if (kind == "Build cache") return store.read_build_cache(guid);
    return store.read_package(guid);
  };
  auto bytes = co_await run_blocking(api.blocking, std::move(work));
  if (!bytes) {
    if (bytes.error().code == make_error_code(Errc::NotFound)) {
      co_return error_response(not_found(kind));
    }
    api.log.error("blob-read-failed", bytes.error().describe(), {{"guid", guid}});
    co_return error_response(server_error());
  }
  co_return http::make_response(http::StatusCode::ok, std::move(*bytes), "application/gzip");
}

asio::awaitable<http::Response> upload_droplet(ApiContext& api, http::RequestContext& ctx) {
  if (!signed_request(api, ctx)) co_return refused();
  std::string guid(ctx.params.get("guid"));
  auto found = co_await api.droplets.droplet(system_viewer(), guid);
  if (!found) co_return store_error(api, found.error());
  if (!*found) co_return error_response(not_found("Droplet"));
  Droplet d = **found;
  if (d.state != "STAGING") {
    co_return error_response(unprocessable("The droplet is " + d.state + ", not STAGING."));
  }
  AppBits& store = api.bits;
  const std::string& body = ctx.request.body();
  auto work = [&store, guid, &body] { return store.store_droplet(guid, body); };
  auto digest = co_await run_blocking(api.blocking, std::move(work));
  if (!digest) {
    if (digest.error().code == make_error_code(Errc::LimitExceeded)) {
      co_return error_response(unprocessable(digest.error().message));
    }
    api.log.error("droplet-store-failed", digest.error().describe(), {{"droplet_guid", guid}});
    co_return error_response(server_error());
  }
  d.sha1 = digest->sha1;
  d.sha256 = digest->sha256;
  auto saved = co_await api.droplets.update_droplet(d);
  if (!saved) co_return store_error(api, saved.error());
  co_return http::make_response(http::StatusCode::created, "{}", "application/json");
}

// The BBS's report of a finished staging task: the build and its droplet become STAGED or
// FAILED. A report for a build that is no longer staging changes nothing (the BBS retries).
asio::awaitable<http::Response> staging_completed(ApiContext& api, http::RequestContext& ctx) {
  if (!signed_request(api, ctx)) co_return refused();
  auto outcome = staging_outcome(ctx.request.body());
  if (!outcome) co_return error_response(message_parse(outcome.error().message));
  std::string guid(ctx.params.get("guid"));
  auto found = co_await api.droplets.build(system_viewer(), guid);
  if (!found) co_return store_error(api, found.error());
  if (!*found) co_return error_response(not_found("Build"));
  Build b = **found;
  if (b.state != "STAGING" || !b.droplet_guid) {
    co_return http::make_response(http::StatusCode::ok, "{}", "application/json");
  }
  std::string droplet_guid = *b.droplet_guid;
  auto droplet = co_await api.droplets.droplet(system_viewer(), droplet_guid);
  if (!droplet) co_return store_error(api, droplet.error());
  if (!*droplet) co_return error_response(not_found("Droplet"));
  Droplet d = **droplet;
  if (!outcome->failed && !d.sha256) {
    outcome->failed = true;
    outcome->error = "StagingError - Staging error: the droplet was not uploaded";
  }
  if (outcome->failed) {
    d.state = b.state = "FAILED";
    d.error = b.error = outcome->error;
  } else {
    d.state = b.state = "STAGED";
    d.process_types_json = outcome->process_types_json;
    d.execution_metadata = outcome->execution_metadata;
    d.buildpacks_json = outcome->buildpacks_json;
  }
  if (auto st = co_await api.droplets.update_droplet(d); !st)
    co_return store_error(api, st.error());
  if (auto st = co_await api.droplets.update_build(b); !st) co_return store_error(api, st.error());
  api.log.info("staging-finished",
               {{"build_guid", b.guid}, {"app_guid", b.app_guid}, {"state", b.state}});
  co_return http::make_response(http::StatusCode::ok, "{}", "application/json");
}

}  // namespace

void add_internal_routes(http::Router& r, ApiContext& api) {
  for (const auto& [path, kind] :
       {std::pair{"/internal/v4/packages/:guid/download", "Package"},
        std::pair{"/internal/v4/droplets/:guid/download", "Droplet"},
        std::pair{"/internal/v4/buildpacks/:guid/download", "Buildpack"},
        std::pair{"/internal/v4/build_cache/:guid/download", "Build cache"}}) {
    std::string what = kind;
    r.get(path, [&api, what](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
      if (!signed_request(api, ctx)) co_return refused();
      std::string guid(ctx.params.get("guid"));
      co_return co_await send_blob(api, what, guid);
    });
  }
  http::RouteOptions upload;
  upload.max_body_bytes = api.bits.limits().max_droplet_bytes;
  r.post(
      "/internal/v4/droplets/:guid/upload",
      [&api](http::RequestContext& ctx) { return upload_droplet(api, ctx); }, upload);
  // A staging task keeps the app's build cache for its next staging.
  r.post(
      "/internal/v4/build_cache/:guid/upload",
      [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
        if (!signed_request(api, ctx)) co_return refused();
        std::string app(ctx.params.get("guid"));
        AppBits& store = api.bits;
        const std::string& body = ctx.request.body();
        auto work = [&store, app, &body] { return store.store_build_cache(app, body); };
        auto stored = co_await run_blocking(api.blocking, std::move(work));
        if (!stored) {
          if (stored.error().code == make_error_code(Errc::LimitExceeded)) {
            co_return error_response(unprocessable(stored.error().message));
          }
          api.log.error("build-cache-store-failed", stored.error().describe(), {{"app_guid", app}});
          co_return error_response(server_error());
        }
        co_return http::make_response(http::StatusCode::created, "{}", "application/json");
      },
      upload);
  r.post("/internal/v3/staging/:guid/completed",
         [&api](http::RequestContext& ctx) { return staging_completed(api, ctx); });
}

}  // namespace cupola::cc
