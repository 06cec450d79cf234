#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/settings.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kOrgList{{"names", "guids"}, {"name", "created_at", "updated_at"}, {}};

// Cloud Foundry's checks of a name: a string of 1 to 255 characters.
std::optional<std::string> name_problem(const json::Value& body, std::string& name) {
  if (!body.HasMember("name") || !body["name"].IsString()) return "Name must be a string";
  name.assign(body["name"].GetString(), body["name"].GetStringLength());
  if (name.empty()) return "Name can't be blank";
  if (name.size() > 255) return "Name is too long (maximum is 255 characters)";
  return std::nullopt;
}

}  // namespace

// Also used by spaces.cpp.
std::optional<std::string> check_name(const json::Value& body, std::string& name) {
  return name_problem(body, name);
}

void add_organization_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/organizations", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await api.db.list_organizations(caller.viewer(), q);
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& o : page->resources) write_organization(w, api.urls, o);
      w.end_array();
      co_return page->total;
    };
    return answer_list(api, ctx, kOrgList, "/v3/organizations", std::move(write));
  });

  r.get("/v3/organizations/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          std::string guid(ctx.params.get("guid"));
          auto org = co_await api.db.organization(std::get<Caller>(who).viewer(), guid);
          if (!org) co_return store_error(api, org.error());
          if (!*org) co_return error_response(not_found("Organization"));
          json::Writer w;
          write_organization(w, api.urls, **org);
          co_return respond(http::StatusCode::ok, w);
        });

  r.post("/v3/organizations", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    // Admins create organizations; others only while the user_org_creation flag is on, and
    // they then manage what they made.
    const Caller& caller = std::get<Caller>(who);
    if (!caller.admin) {
      if (!caller.can_write) co_return error_response(not_authorized());
      auto enabled = co_await feature_enabled(api, "user_org_creation");
      if (!enabled) co_return store_error(api, enabled.error());
      if (!*enabled) co_return error_response(not_authorized());
    }
    auto body = json_object_body(ctx);
    if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
    if (auto e =
            unknown_fields(std::get<json::Document>(body), {"name", "suspended", "metadata"})) {
      co_return error_response(*e);
    }
    std::string name;
    if (auto problem = name_problem(std::get<json::Document>(body), name)) {
      co_return error_response(unprocessable(*problem));
    }
    auto org = co_await api.db.create_organization(api.guids.next(), name);
    if (!org) {
      if (org.error().code == make_error_code(Errc::Conflict)) {
        co_return error_response(unprocessable(org.error().message));
      }
      co_return store_error(api, org.error());
    }
    if (!caller.admin) {
      for (const char* type : {"organization_user", "organization_manager"}) {
        Role role;
        role.guid = api.guids.next();
        role.type = type;
        role.user_guid = caller.user_guid;
        role.organization_guid = org->guid;
        if (auto made = co_await api.db.create_role(role); !made) {
          co_return store_error(api, made.error());
        }
      }
    }
    json::Writer w;
    write_organization(w, api.urls, *org);
    co_return respond(http::StatusCode::created, w);
  });

  r.del("/v3/organizations/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          const Caller& caller = std::get<Caller>(who);
          std::string guid(ctx.params.get("guid"));
          auto org = co_await api.db.organization(caller.viewer(), guid);
          if (!org) co_return store_error(api, org.error());
          if (!*org) co_return error_response(not_found("Organization"));
          if (!caller.admin) co_return error_response(not_authorized());
          // Its spaces and every role in it go in the same statement (ON DELETE CASCADE).
          if (auto st = co_await api.db.delete_organization(guid); !st) {
            co_return store_error(api, st.error());
          }
          auto job = co_await completed_job(api, "organization.delete", caller.user_guid);
          if (!job) co_return store_error(api, job.error());
          co_return accepted_job(api, *job);
        });
}

}  // namespace cupola::cc
