// Admin buildpacks: the list staging detects with, their bits, and those shipped with the
// platform.

#include "cloud_controller/src/handlers/buildpacks.h"

#include <algorithm>
#include <filesystem>

#include "cloud_controller/src/bits/multipart.h"
#include "cloud_controller/src/handlers/buildpack_json.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/storage/app_bits.h"
#include "cloud_controller/src/storage/buildpack_files.h"
#include "common/asio/run_blocking.h"

namespace cupola::cc {
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

const ListSpec kBuildpackList{
    {"names", "stacks", "lifecycle"}, {"created_at", "updated_at", "position", "lifecycle"}, {}};

http::Response buildpack_response(const ApiContext& api, http::StatusCode status,
                                  const Buildpack& b) {
  json::Writer w;
  write_buildpack(w, api.urls, b);
  return respond(status, w);
}

CcError cf_error(int code, std::string title, std::string detail) {
  return {http::StatusCode::unprocessable_entity, code, std::move(title), std::move(detail)};
}

// The store's refusal of a change, or the failure to answer with.
http::Response change_refused(ApiContext& api, const Error& e) {
  if (e.code == make_error_code(Errc::Conflict) ||
      e.code == make_error_code(Errc::InvalidArgument)) {
    return error_response(unprocessable(e.message));
  }
  if (e.code == make_error_code(Errc::NotFound)) return error_response(not_found("Buildpack"));
  return store_error(api, e);
}

struct AdminAccess {
  Caller caller;
  Buildpack buildpack;
};

// The caller and the buildpack the route's :guid names when the caller is an admin; or the
// 401, 404 "Buildpack not found" or 403 to answer (in Cloud Foundry's order).
asio::awaitable<std::variant<AdminAccess, http::Response>> admin_access(ApiContext& api,
                                                                        http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  auto b = co_await api.buildpacks.buildpack(std::string(ctx.params.get("guid")));
  if (!b) co_return store_error(api, b.error());
  if (!*b) co_return error_response(not_found("Buildpack"));
  if (!std::get<Caller>(who).admin) co_return error_response(not_authorized());
  co_return AdminAccess{std::get<Caller>(who), std::move(**b)};
}

// Whether the query names an order; without one, lists follow Cloud Foundry's: by lifecycle,
// then position.
bool asks_order(std::string_view query) {
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    if (pair.substr(0, pair.find('=')) == "order_by") return true;
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
  }
  return false;
}

// The user's words for bits that cannot be stored; the host's failures stay generic.
http::Response bits_refused(ApiContext& api, const Error& e) {
  if (e.code == make_error_code(Errc::InvalidArgument) ||
      e.code == make_error_code(Errc::LimitExceeded)) {
    return error_response(
        cf_error(390013, "CF-BuildpackZipError", "Buildpack zip error: " + e.message));
  }
  api.log.error("buildpack-bits-failed", e.describe());
  return error_response(server_error());
}

asio::awaitable<void> discard(ApiContext& api, fs::path file) {
  auto remove = [file] {
    std::error_code ec;
    fs::remove(file, ec);
  };
  co_await run_blocking(api.blocking, std::move(remove));
}

asio::awaitable<http::Response> upload_bits(ApiContext& api, http::RequestContext& ctx) {
  auto access = co_await admin_access(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
  const Caller& caller = std::get<AdminAccess>(access).caller;
  Buildpack bp = std::get<AdminAccess>(access).buildpack;
  std::string content_type(ctx.request[http::bhttp::field::content_type]);
  auto parts = bits::parse_multipart(ctx.request.body(), content_type);
  if (!parts) {
    co_return error_response(
        message_parse("The upload is not valid multipart/form-data: " + parts.error().message));
  }
  std::optional<bits::Part> part;
  for (const auto& p : *parts) {
    if (p.name == "bits") part = p;
  }
  if (auto problems = buildpack_upload_problems(part, bp.lifecycle); !problems.empty()) {
    co_return error_response(unprocessable("Uploaded buildpack file is invalid: " + problems));
  }
  if (bp.locked) co_return error_response(unprocessable("Buildpack is locked"));

  bits::Blobstore& blobs = api.blobs;
  std::string_view upload = part->data;
  bool zip = bp.lifecycle != "cnb";
  bits::UnpackLimits limits = api.bits.limits().unpack;
  auto pack = [&blobs, upload, zip, limits] {
    return pack_buildpack_upload(blobs, upload, zip, limits);
  };
  auto packed = co_await run_blocking(api.blocking, std::move(pack));
  if (!packed) co_return bits_refused(api, packed.error());

  BuildpackBits stored{*part->filename, packed->digest.sha256, bp.stack};
  if (packed->manifest_stack) stored.stack = packed->manifest_stack;
  if (bp.stack && stored.stack != bp.stack) {
    co_await discard(api, packed->tgz);
    co_return error_response(
        cf_error(390011, "CF-BuildpackStacksDontMatch",
                 "Uploaded buildpack stack (" + *stored.stack + ") does not match " + *bp.stack));
  }
  std::optional<std::string> new_stack = stored.stack;
  auto saved = co_await api.buildpacks.set_bits(bp.guid, std::move(stored));
  if (!saved) {
    co_await discard(api, packed->tgz);
    if (saved.error().code == make_error_code(Errc::Conflict)) {
      co_return error_response(
          cf_error(290000, "CF-BuildpackNameStackLifecycleTaken",
                   "The buildpack name " + bp.name + " is already in use for the stack " +
                       new_stack.value_or("") + " and the lifecycle " + bp.lifecycle));
    }
    co_return change_refused(api, saved.error());
  }
  std::string key = buildpack_blob_key(bp.guid);
  auto put = [&blobs, key, tgz = packed->tgz] {
    Status st = blobs.put_file(key, tgz);
    std::error_code ec;
    if (!st) std::filesystem::remove(tgz, ec);
    return st;
  };
  if (auto st = co_await run_blocking(api.blocking, std::move(put)); !st) {
    api.log.error("buildpack-store-failed", st.error().describe(), {{"buildpack_guid", bp.guid}});
    if (auto back = co_await api.buildpacks.restore_bits(saved->before); !back) {
      api.log.error("buildpack-restore-failed", back.error().describe(),
                    {{"buildpack_guid", bp.guid}});
    }
    co_return error_response(server_error());
  }
  auto job = co_await completed_job(api, "buildpack.upload", caller.user_guid);
  if (!job) co_return store_error(api, job.error());
  auto res = buildpack_response(api, http::StatusCode::accepted, saved->after);
  res.set(http::bhttp::field::location, api.urls.api + "/v3/jobs/" + job->guid);
  co_return res;
}

asio::awaitable<http::Response> create_buildpack(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  if (!std::get<Caller>(who).admin) co_return error_response(not_authorized());
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  auto read = read_buildpack_create(std::get<json::Document>(body));
  if (auto* e = std::get_if<CcError>(&read)) co_return error_response(*e);
  BuildpackCreateRequest req = std::move(std::get<BuildpackCreateRequest>(read));
  req.buildpack.guid = api.guids.next();
  // Cloud Foundry puts a buildpack created without a position first.
  std::optional<std::int64_t> position = req.position.value_or(1);
  auto created = co_await api.buildpacks.create(std::move(req.buildpack), position);
  if (!created) co_return change_refused(api, created.error());
  co_return buildpack_response(api, http::StatusCode::created, *created);
}

asio::awaitable<http::Response> update_buildpack(ApiContext& api, http::RequestContext& ctx) {
  auto access = co_await admin_access(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
  std::string guid = std::get<AdminAccess>(access).buildpack.guid;
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  auto read = read_buildpack_update(std::get<json::Document>(body));
  if (auto* e = std::get_if<CcError>(&read)) co_return error_response(*e);
  auto updated =
      co_await api.buildpacks.update(std::move(guid), std::get<BuildpackChange>(std::move(read)));
  if (!updated) co_return change_refused(api, updated.error());
  co_return buildpack_response(api, http::StatusCode::ok, updated->after);
}

asio::awaitable<http::Response> delete_buildpack(ApiContext& api, http::RequestContext& ctx) {
  auto access = co_await admin_access(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
  const AdminAccess& a = std::get<AdminAccess>(access);
  if (auto st = co_await api.buildpacks.remove(a.buildpack.guid); !st) {
    co_return change_refused(api, st.error());
  }
  bits::Blobstore& blobs = api.blobs;
  std::string key = buildpack_blob_key(a.buildpack.guid);
  auto remove = [&blobs, key] { return blobs.remove(key); };
  if (auto st = co_await run_blocking(api.blocking, std::move(remove)); !st) {
    api.log.error("buildpack-blob-remove-failed", st.error().describe(), {{"key", key}});
  }
  auto job = co_await completed_job(api, "buildpack.delete", a.caller.user_guid);
  if (!job) co_return store_error(api, job.error());
  co_return accepted_job(api, *job);
}

}  // namespace

std::string buildpack_blob_key(const std::string& guid) { return "buildpacks/" + guid; }

void add_buildpack_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/buildpacks", [&api](http::RequestContext& ctx) {
    bool ordered = asks_order(ctx.query());
    ListWriter write = [&api, ordered](Caller, ListQuery q,
                                       json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      if (!ordered) q.order_by = "lifecycle";
      auto page = co_await api.buildpacks.list(std::move(q));
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& b : page->resources) write_buildpack(w, api.urls, b);
      w.end_array();
      co_return page->total;
    };
    return answer_list(api, ctx, kBuildpackList, "/v3/buildpacks", std::move(write));
  });

  r.get("/v3/buildpacks/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          auto b = co_await api.buildpacks.buildpack(std::string(ctx.params.get("guid")));
          if (!b) co_return store_error(api, b.error());
          if (!*b) co_return error_response(not_found("Buildpack"));
          co_return buildpack_response(api, http::StatusCode::ok, **b);
        });

  r.post("/v3/buildpacks",
         [&api](http::RequestContext& ctx) { return create_buildpack(api, ctx); });
  r.patch("/v3/buildpacks/:guid",
          [&api](http::RequestContext& ctx) { return update_buildpack(api, ctx); });
  r.del("/v3/buildpacks/:guid",
        [&api](http::RequestContext& ctx) { return delete_buildpack(api, ctx); });
  http::RouteOptions upload;
  upload.max_body_bytes = api.bits.limits().max_upload_bytes;
  r.post(
      "/v3/buildpacks/:guid/upload",
      [&api](http::RequestContext& ctx) { return upload_bits(api, ctx); }, upload);
}

asio::awaitable<Result<std::vector<Buildpack>>> staging_buildpacks(ApiContext& api,
                                                                   std::string stack) {
  co_return co_await api.buildpacks.for_staging(std::move(stack));
}

asio::awaitable<Status> install_bundled_buildpacks(ApiContext& api, std::string dir) {
  fs::path root = dir;
  auto scan = [root] { return bundled_buildpack_dirs(root); };
  auto names = co_await run_blocking(api.blocking, std::move(scan));
  if (!names) co_return std::move(names).error();
  bits::Blobstore& blobs = api.blobs;
  for (const auto& dir_name : *names) {
    std::string name = dir_name + "_buildpack";
    ListQuery q;
    q.per_page = 1;
    q.filters["names"] = std::vector<std::string>{name};
    auto existing = co_await api.buildpacks.list(std::move(q));
    if (!existing) co_return std::move(existing).error();
    if (existing->total > 0) continue;

    Buildpack b;
    b.guid = api.guids.next();
    b.name = name;
    b.filename = name + ".tgz";
    std::string key = buildpack_blob_key(b.guid);
    fs::path src = root / dir_name;
    auto store = [&blobs, src, key] { return store_buildpack_dir(blobs, src, key); };
    auto digest = co_await run_blocking(api.blocking, std::move(store));
    if (!digest) co_return std::move(digest).error();
    b.sha256 = digest->sha256;
    std::optional<std::int64_t> last;
    auto made = co_await api.buildpacks.create(std::move(b), last);
    if (!made) {
      auto remove = [&blobs, key] { return blobs.remove(key); };
      (void)co_await run_blocking(api.blocking, std::move(remove));
      // Another Cloud Controller starting at the same time made it first.
      if (made.error().code == make_error_code(Errc::Conflict)) continue;
      co_return std::move(made).error();
    }
    api.log.info("bundled-buildpack-installed",
                 {{"name", name}, {"guid", made->guid}, {"position", made->position}});
  }
  co_return Status{};
}

}  // namespace cupola::cc
