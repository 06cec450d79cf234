#include <algorithm>

#include "cloud_controller/src/handlers/handlers.h"

namespace cupola::cc {
namespace asio = boost::asio;

std::optional<std::string> check_name(const json::Value& body, std::string& name);

namespace {

const ListSpec kSpaceList{
    {"names", "guids", "organization_guids"}, {"name", "created_at", "updated_at"}, {}};

// relationships.<name>.data.guid of a request body, or "".
std::string related_guid(const json::Value& body, const char* name) {
  if (!body.HasMember("relationships") || !body["relationships"].IsObject()) return {};
  const auto& rel = body["relationships"];
  if (!rel.HasMember(name) || !rel[name].IsObject()) return {};
  const auto& to = rel[name];
  if (!to.HasMember("data") || !to["data"].IsObject()) return {};
  const auto& data = to["data"];
  if (!data.HasMember("guid") || !data["guid"].IsString()) return {};
  return data["guid"].GetString();
}

bool has(const std::vector<std::string>& roles, std::string_view role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace

// Also used by roles.cpp.
std::string relationship_guid(const json::Value& body, const char* name) {
  return related_guid(body, name);
}

void add_space_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/spaces", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await api.db.list_spaces(caller.viewer(), q);
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& s : page->resources) write_space(w, api.urls, s);
      w.end_array();
      co_return page->total;
    };
    return answer_list(api, ctx, kSpaceList, "/v3/spaces", std::move(write));
  });

  r.get("/v3/spaces/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    std::string guid(ctx.params.get("guid"));
    auto space = co_await api.db.space(std::get<Caller>(who).viewer(), guid);
    if (!space) co_return store_error(api, space.error());
    if (!*space) co_return error_response(not_found("Space"));
    json::Writer w;
    write_space(w, api.urls, **space);
    co_return respond(http::StatusCode::ok, w);
  });

  r.post("/v3/spaces", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    auto body = json_object_body(ctx);
    if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
    const auto& doc = std::get<json::Document>(body);
    if (auto e = unknown_fields(doc, {"name", "relationships", "metadata"})) {
      co_return error_response(*e);
    }
    std::string name;
    if (auto problem = check_name(doc, name)) co_return error_response(unprocessable(*problem));
    std::string org_guid = related_guid(doc, "organization");
    auto org = co_await api.db.organization(caller.viewer(), org_guid);
    if (!org) co_return store_error(api, org.error());
    if (org_guid.empty() || !*org) {
      co_return error_response(unprocessable(
          "Invalid organization. Ensure the organization exists and you have access to it."));
    }
    if (!caller.admin) {
      auto roles = co_await api.db.org_roles_of(caller.user_guid, org_guid);
      if (!roles) co_return store_error(api, roles.error());
      if (!has(*roles, "organization_manager")) co_return error_response(not_authorized());
    }
    auto space = co_await api.db.create_space(api.guids.next(), name, org_guid);
    if (!space) {
      if (space.error().code == make_error_code(Errc::Conflict)) {
        co_return error_response(unprocessable(space.error().message));
      }
      co_return store_error(api, space.error());
    }
    json::Writer w;
    write_space(w, api.urls, *space);
    co_return respond(http::StatusCode::created, w);
  });

  r.del("/v3/spaces/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    std::string guid(ctx.params.get("guid"));
    auto space = co_await api.db.space(caller.viewer(), guid);
    if (!space) co_return store_error(api, space.error());
    if (!*space) co_return error_response(not_found("Space"));
    if (!caller.admin) {
      auto roles = co_await api.db.org_roles_of(caller.user_guid, (*space)->organization_guid);
      if (!roles) co_return store_error(api, roles.error());
      if (!has(*roles, "organization_manager")) co_return error_response(not_authorized());
    }
    if (auto st = co_await api.db.delete_space(guid); !st) co_return store_error(api, st.error());
    auto job = co_await completed_job(api, "space.delete", caller.user_guid);
    if (!job) co_return store_error(api, job.error());
    co_return accepted_job(api, *job);
  });
}

}  // namespace cupola::cc
