// Packages (the app's uploaded bits) and resource matching.

#include "cloud_controller/src/bits/multipart.h"
#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/settings.h"
#include "cloud_controller/src/handlers/staging_json.h"
#include "cloud_controller/src/storage/app_bits.h"
#include "common/asio/run_blocking.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kPackageList{
    {"guids", "app_guids", "states", "types", "space_guids"}, {"created_at", "updated_at"}, {}};
const std::vector<std::string> kDevelopers{"space_developer"};

// The resources of a match request or an upload: Cloud Foundry's v3 shape ({"checksum":
// {"value"}, "size_in_bytes", "path", "mode"}) or its v2 one ({"sha1", "size", "fn",
// "mode"}).
std::variant<std::vector<bits::Resource>, CcError> read_resources(const json::Value& list,
                                                                  std::size_t limit) {
  if (!list.IsArray()) return unprocessable("Resources must be an array");
  if (list.Size() > limit) {
    return unprocessable("Resources array must have at most " + std::to_string(limit) +
                         " resources");
  }
  std::vector<bits::Resource> out;
  for (const auto& r : list.GetArray()) {
    if (!r.IsObject()) return unprocessable("Resources must be objects");
    bits::Resource res;
    auto text = [&](const char* key) -> const json::Value* {
      auto it = r.FindMember(key);
      return it != r.MemberEnd() && it->value.IsString() ? &it->value : nullptr;
    };
    if (auto c = r.FindMember("checksum"); c != r.MemberEnd() && c->value.IsObject()) {
      auto v = c->value.FindMember("value");
      if (v != c->value.MemberEnd() && v->value.IsString()) res.sha1 = v->value.GetString();
    } else if (const auto* sha1 = text("sha1")) {
      res.sha1 = sha1->GetString();
    }
    const char* size_key = r.HasMember("size_in_bytes") ? "size_in_bytes" : "size";
    if (auto s = r.FindMember(size_key); s != r.MemberEnd() && s->value.IsUint64()) {
      res.size = s->value.GetUint64();
    } else {
      return unprocessable("Resources must each have a size_in_bytes");
    }
    if (const auto* p = text("path")) {
      res.path = p->GetString();
    } else if (const auto* fn = text("fn")) {
      res.path = fn->GetString();
    }
    if (const auto* m = text("mode")) res.mode = m->GetString();
    if (res.sha1.size() != 40 ||
        res.sha1.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return unprocessable("Resources must each have a checksum value that is a SHA-1");
    }
    out.push_back(std::move(res));
  }
  return out;
}

void write_resources(json::Writer& w, const std::vector<bits::Resource>& list) {
  w.start_array();
  for (const auto& r : list) {
    w.start_object().key("checksum").start_object().field("value", r.sha1).end_object();
    w.field("size_in_bytes", r.size).field("path", r.path);
    w.field("mode", r.mode.empty() ? std::string("644") : r.mode).end_object();
  }
  w.end_array();
}

// The package the route's :guid names, with the caller, when the caller sees it and (unless
// `roles` is empty) may act in its space; or the answer to give.
struct PackageAccess {
  Caller caller;
  Package package;
  App app;
};
asio::awaitable<std::variant<PackageAccess, http::Response>> package_access(
    ApiContext& api, http::RequestContext& ctx, std::vector<std::string> roles) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  Caller caller = std::get<Caller>(who);
  auto p = co_await api.droplets.package(caller.viewer(), std::string(ctx.params.get("guid")));
  if (!p) co_return store_error(api, p.error());
  if (!*p) co_return error_response(not_found("Package"));
  auto app = co_await api.apps.app(caller.viewer(), (*p)->app_guid);
  if (!app) co_return store_error(api, app.error());
  if (!*app) co_return error_response(not_found("Package"));
  if (!roles.empty()) {
    auto allowed = co_await may_in_space(api, caller, (*app)->space_guid, roles);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
  }
  co_return PackageAccess{std::move(caller), std::move(**p), std::move(**app)};
}

http::Response package_response(const ApiContext& api, http::StatusCode status, const Package& p) {
  json::Writer w;
  write_package(w, api.urls, p);
  return respond(status, w);
}

// The user's words for a package that cannot be stored; the host's failures stay generic.
http::Response bits_error(ApiContext& api, const Error& e) {
  if (e.code == make_error_code(Errc::InvalidArgument) ||
      e.code == make_error_code(Errc::LimitExceeded)) {
    return error_response(unprocessable(e.message));
  }
  api.log.error("bits-failed", e.describe());
  return error_response(server_error());
}

}  // namespace

void add_package_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/packages", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await api.droplets.list_packages(caller.viewer(), std::move(q));
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& p : page->resources) write_package(w, api.urls, p);
      w.end_array();
      co_return page->total;
    };
    return answer_list(api, ctx, kPackageList, "/v3/packages", std::move(write));
  });

  r.get("/v3/apps/:guid/packages",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await app_access(api, ctx, {});
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          const Caller& caller = std::get<AppAccess>(access).caller;
          std::string guid = std::get<AppAccess>(access).app.guid;
          auto q = parse_list_query(ctx.query(), kPackageList);
          if (!q) co_return error_response(bad_query(q.error().message));
          q->filters["app_guids"] = std::vector<std::string>{guid};
          auto page = co_await api.droplets.list_packages(caller.viewer(), *q);
          if (!page) co_return store_error(api, page.error());
          json::Writer w;
          w.start_object();
          write_pagination(w, *q, page->total, api.urls.api + "/v3/apps/" + guid + "/packages");
          w.key("resources").start_array();
          for (const auto& p : page->resources) write_package(w, api.urls, p);
          w.end_array().end_object();
          co_return respond(http::StatusCode::ok, w);
        });

  r.get("/v3/packages/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto access = co_await package_access(api, ctx, {});
    if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
    co_return package_response(api, http::StatusCode::ok, std::get<PackageAccess>(access).package);
  });

  r.post("/v3/packages", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    auto body = json_object_body(ctx);
    if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
    const auto& doc = std::get<json::Document>(body);
    auto type = doc.FindMember("type");
    if (type == doc.MemberEnd() || !type->value.IsString()) {
      co_return error_response(unprocessable("Type must be one of 'bits, docker'"));
    }
    if (std::string_view(type->value.GetString()) == "docker") {
      co_return error_response(unprocessable("Docker packages are not supported."));
    }
    if (std::string_view(type->value.GetString()) != "bits") {
      co_return error_response(unprocessable("Type must be one of 'bits, docker'"));
    }
    std::string app_guid;
    if (auto rel = doc.FindMember("relationships");
        rel != doc.MemberEnd() && rel->value.IsObject()) {
      auto app = rel->value.FindMember("app");
      if (app != rel->value.MemberEnd() && app->value.IsObject()) {
        auto data = app->value.FindMember("data");
        if (data != app->value.MemberEnd() && data->value.IsObject()) {
          auto g = data->value.FindMember("guid");
          if (g != data->value.MemberEnd() && g->value.IsString()) app_guid = g->value.GetString();
        }
      }
    }
    if (app_guid.empty())
      co_return error_response(unprocessable("Relationships App must be provided"));
    auto app = co_await api.apps.app(caller.viewer(), app_guid);
    if (!app) co_return store_error(api, app.error());
    if (!*app) {
      co_return error_response(
          unprocessable("App is invalid. Ensure it exists and you have access to it."));
    }
    auto allowed = co_await may_in_space(api, caller, (*app)->space_guid, kDevelopers);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
    Package p;
    p.guid = api.guids.next();
    p.app_guid = app_guid;
    auto created = co_await api.droplets.create_package(p);
    if (!created) co_return store_error(api, created.error());
    EventTarget target = app_target(**app);
    std::string data =
        R"({"package_guid": ")" + created->guid + R"(", "request": {"type": "bits"}})";
    co_await audit(api, caller, "audit.app.package.create", target, (*app)->space_guid, data);
    co_return package_response(api, http::StatusCode::created, *created);
  });

  http::RouteOptions upload_options;
  upload_options.max_body_bytes = api.bits.limits().max_upload_bytes;
  r.post(
      "/v3/packages/:guid/upload",
      [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
        auto access = co_await package_access(api, ctx, kDevelopers);
        if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
        Package p = std::get<PackageAccess>(access).package;
        if (!std::get<PackageAccess>(access).caller.admin) {
          if (auto off = co_await refuse_unless_enabled(api, "app_bits_upload")) {
            co_return std::move(*off);
          }
        }
        if (p.type != "bits") co_return error_response(unprocessable("Package type must be bits."));
        if (p.state == "READY" || p.state == "PROCESSING_UPLOAD") {
          co_return error_response(unprocessable("Package has already been uploaded."));
        }
        std::string content_type(ctx.request[http::bhttp::field::content_type]);
        auto parts = bits::parse_multipart(ctx.request.body(), content_type);
        if (!parts) {
          co_return error_response(message_parse("The upload is not valid multipart/form-data: " +
                                                 parts.error().message));
        }
        std::optional<std::string_view> zip;
        std::vector<bits::Resource> matched;
        bool has_resources = false;
        for (const auto& part : *parts) {
          if (part.name == "bits") zip = part.data;
          if (part.name != "resources") continue;
          has_resources = true;
          auto list = json::parse(part.data);
          if (!list) {
            co_return error_response(
                message_parse("Request invalid due to parse error: " + list.error().message));
          }
          auto read = read_resources(*list, api.bits.limits().max_resources);
          if (auto* e = std::get_if<CcError>(&read)) co_return error_response(*e);
          matched = std::move(std::get<std::vector<bits::Resource>>(read));
        }
        if (!zip && !has_resources) {
          co_return error_response(unprocessable("Upload must include either resources or bits"));
        }
        AppBits& store = api.bits;
        std::string guid = p.guid;
        auto work = [&store, guid, zip, &matched] {
          return store.store_package(guid, zip, matched);
        };
        auto digest = co_await run_blocking(api.blocking, std::move(work));
        if (!digest) co_return bits_error(api, digest.error());
        p.state = "READY";
        p.sha1 = digest->sha1;
        p.sha256 = digest->sha256;
        auto saved = co_await api.droplets.update_package(p);
        if (!saved) co_return store_error(api, saved.error());
        const PackageAccess& pa = std::get<PackageAccess>(access);
        EventTarget target = app_target(pa.app);
        co_await audit(api, pa.caller, "audit.app.upload-bits", target, pa.app.space_guid);
        co_return package_response(api, http::StatusCode::ok, *saved);
      },
      upload_options);

  r.post("/v3/resource_matches",
         [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
           auto who = co_await authenticate(api, ctx);
           if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
           auto body = json_object_body(ctx);
           if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
           const auto& doc = std::get<json::Document>(body);
           auto list = doc.FindMember("resources");
           if (list == doc.MemberEnd()) {
             co_return error_response(unprocessable("Resources must be an array"));
           }
           auto read = read_resources(list->value, api.bits.limits().max_resources);
           if (auto* e = std::get_if<CcError>(&read)) co_return error_response(*e);
           auto wanted = std::move(std::get<std::vector<bits::Resource>>(read));
           AppBits& store = api.bits;
           auto work = [&store, &wanted] { return store.match(wanted); };
           auto found = co_await run_blocking(api.blocking, std::move(work));
           if (!found) co_return bits_error(api, found.error());
           json::Writer w;
           w.start_object().key("resources");
           write_resources(w, *found);
           w.end_object();
           co_return respond(http::StatusCode::created, w);
         });
}

}  // namespace cupola::cc
