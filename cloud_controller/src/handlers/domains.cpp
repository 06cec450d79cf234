// Domains: the shared apps domain and organizations' private ones.

#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/route_json.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kDomainList{
    {"names", "guids", "organization_guids"}, {"created_at", "updated_at", "name"}, {}};

http::Response domain_response(const ApiContext& api, http::StatusCode status, const Domain& d) {
  json::Writer w;
  write_domain(w, api.urls, d);
  return respond(status, w);
}

// A domain name as Cloud Foundry accepts one: dot-separated labels of letters, digits and
// hyphens, at most 253 characters, with at least two labels.
bool valid_domain_name(const std::string& name) {
  if (name.empty() || name.size() > 253 || name.find('.') == std::string::npos) return false;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    if (++label > 63) return false;
  }
  return label > 0;
}

asio::awaitable<http::Response> create_domain(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  if (auto e =
          unknown_fields(doc, {"name", "internal", "relationships", "router_group", "metadata"})) {
    co_return error_response(*e);
  }
  Domain d;
  if (auto n = doc.FindMember("name"); n != doc.MemberEnd()) {
    if (!n->value.IsString()) co_return error_response(unprocessable("Name must be a string"));
    d.name = n->value.GetString();
  }
  for (auto& c : d.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!valid_domain_name(d.name)) {
    co_return error_response(unprocessable(
        "Name does not comply with RFC 1035 standards. Name must contain at least one \".\", "
        "and may contain only letters, digits and hyphens between the dots."));
  }
  if (auto i = doc.FindMember("internal"); i != doc.MemberEnd()) {
    if (!i->value.IsBool()) co_return error_response(unprocessable("Internal must be a boolean"));
    d.internal = i->value.GetBool();
  }
  std::string org = related_guid(doc, "organization");
  if (org.empty()) {
    if (!caller.admin) co_return error_response(not_authorized());
  } else {
    auto o = co_await api.db.organization(caller.viewer(), org);
    if (!o) co_return store_error(api, o.error());
    if (!*o) {
      co_return error_response(unprocessable("Organization with guid '" + org +
                                             "' does not exist or you do not have access to it."));
    }
    if (!caller.admin) {
      auto roles = co_await api.db.org_roles_of(caller.user_guid, org);
      if (!roles) co_return store_error(api, roles.error());
      bool manager =
          std::find(roles->begin(), roles->end(), "organization_manager") != roles->end();
      if (!manager || !caller.can_write) co_return error_response(not_authorized());
    }
    d.organization_guid = org;
  }
  d.guid = api.guids.next();
  auto created = co_await api.routes.create_domain(d);
  if (!created) {
    if (created.error().code == make_error_code(Errc::Conflict)) {
      co_return error_response(uniqueness(created.error().message));
    }
    co_return store_error(api, created.error());
  }
  co_return domain_response(api, http::StatusCode::created, *created);
}

}  // namespace

void add_domain_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/domains", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await api.routes.list_domains(caller.viewer(), std::move(q));
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& d : page->resources) write_domain(w, api.urls, d);
      w.end_array();
      co_return page->total;
    };
    return answer_list(api, ctx, kDomainList, "/v3/domains", std::move(write));
  });

  r.get("/v3/organizations/:guid/domains",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          std::string org(ctx.params.get("guid"));
          auto o = co_await api.db.organization(std::get<Caller>(who).viewer(), org);
          if (!o) co_return store_error(api, o.error());
          if (!*o) co_return error_response(not_found("Organization"));
          std::string path = "/v3/organizations/" + org + "/domains";
          ListWriter write = [&api, org](Caller caller, ListQuery q,
                                         json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
            std::optional<std::string> only = org;
            auto page = co_await api.routes.list_domains(caller.viewer(), std::move(q), only);
            if (!page) co_return std::move(page).error();
            w.key("resources").start_array();
            for (const auto& d : page->resources) write_domain(w, api.urls, d);
            w.end_array();
            co_return page->total;
          };
          co_return co_await answer_list(api, ctx, kDomainList, std::move(path), std::move(write));
        });

  // The oldest shared domain: where default routes go.
  r.get("/v3/organizations/:guid/domains/default",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          const Caller& caller = std::get<Caller>(who);
          std::string org(ctx.params.get("guid"));
          auto o = co_await api.db.organization(caller.viewer(), org);
          if (!o) co_return store_error(api, o.error());
          if (!*o) co_return error_response(not_found("Organization"));
          auto d = co_await default_domain(api, org);
          if (!d) co_return store_error(api, d.error());
          if (!*d) co_return error_response(not_found("Domain"));
          co_return domain_response(api, http::StatusCode::ok, **d);
        });

  r.get("/v3/domains/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    auto d = co_await api.routes.domain(std::get<Caller>(who).viewer(),
                                        std::string(ctx.params.get("guid")));
    if (!d) co_return store_error(api, d.error());
    if (!*d) co_return error_response(not_found("Domain"));
    co_return domain_response(api, http::StatusCode::ok, **d);
  });

  r.post("/v3/domains", [&api](http::RequestContext& ctx) { return create_domain(api, ctx); });

  r.del("/v3/domains/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    auto d = co_await api.routes.domain(caller.viewer(), std::string(ctx.params.get("guid")));
    if (!d) co_return store_error(api, d.error());
    if (!*d) co_return error_response(not_found("Domain"));
    if (!caller.admin) {
      if (!(*d)->organization_guid) co_return error_response(not_authorized());
      auto roles = co_await api.db.org_roles_of(caller.user_guid, *(*d)->organization_guid);
      if (!roles) co_return store_error(api, roles.error());
      if (std::find(roles->begin(), roles->end(), "organization_manager") == roles->end()) {
        co_return error_response(not_authorized());
      }
    }
    if (auto st = co_await api.routes.delete_domain((*d)->guid); !st) {
      if (st.error().code == make_error_code(Errc::Conflict)) {
        co_return error_response(unprocessable(st.error().message));
      }
      co_return store_error(api, st.error());
    }
    auto job = co_await completed_job(api, "domain.delete", caller.user_guid);
    if (!job) co_return store_error(api, job.error());
    co_return accepted_job(api, *job);
  });

  // Whether a route with this host and path exists in the domain (cf check-route).
  r.get("/v3/domains/:guid/route_reservations",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          auto d = co_await api.routes.domain(std::get<Caller>(who).viewer(),
                                              std::string(ctx.params.get("guid")));
          if (!d) co_return store_error(api, d.error());
          if (!*d) co_return error_response(not_found("Domain"));
          std::string host = ctx.query_param("host").value_or("");
          std::string path = ctx.query_param("path").value_or("");
          auto exists = co_await api.routes.route_exists((*d)->guid, host, path);
          if (!exists) co_return store_error(api, exists.error());
          json::Writer w;
          w.start_object().field("matching_route", *exists).end_object();
          co_return respond(http::StatusCode::ok, w);
        });
}

}  // namespace cupola::cc
