// Organization quotas (admins make and apply them) and space quotas (admins and the
// organization's managers), as Cloud Foundry's v3 API has them.

#include "cloud_controller/src/handlers/quotas.h"

#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/route_json.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kQuotaList{{"guids", "names", "organization_guids", "space_guids"},
                          {"created_at", "updated_at", "name"},
                          {}};

void limit(json::Writer& w, const char* key, const std::optional<std::int64_t>& v) {
  w.key(key);
  if (v) {
    w.value(*v);
  } else {
    w.value(nullptr);
  }
}

void write_quota(json::Writer& w, const Urls& urls, const std::string& kind, const Quota& q) {
  std::string path = kind == "organization" ? "/v3/organization_quotas/" : "/v3/space_quotas/";
  const QuotaLimits& l = q.limits;
  w.start_object();
  w.field("guid", q.guid).field("created_at", q.created_at).field("updated_at", q.updated_at);
  w.field("name", q.name);
  w.key("apps").start_object();
  limit(w, "total_memory_in_mb", l.total_memory_in_mb);
  limit(w, "per_process_memory_in_mb", l.per_process_memory_in_mb);
  limit(w, "total_instances", l.total_instances);
  limit(w, "per_app_tasks", l.per_app_tasks);
  limit(w, "log_rate_limit_in_bytes_per_second", l.log_rate_limit_in_bytes_per_second);
  w.end_object();
  w.key("services").start_object().field("paid_services_allowed", l.paid_services_allowed);
  limit(w, "total_service_instances", l.total_service_instances);
  limit(w, "total_service_keys", l.total_service_keys);
  w.end_object();
  w.key("routes").start_object();
  limit(w, "total_routes", l.total_routes);
  limit(w, "total_reserved_ports", l.total_reserved_ports);
  w.end_object();
  if (kind == "organization") {
    w.key("domains").start_object();
    limit(w, "total_domains", l.total_domains);
    w.end_object();
  }
  w.key("relationships").start_object();
  if (kind == "space") {
    w.key("organization").start_object().key("data").start_object();
    w.field("guid", q.organization_guid.value_or("")).end_object().end_object();
  }
  w.key(kind == "organization" ? "organizations" : "spaces").start_object().key("data");
  w.start_array();
  for (const auto& g : q.applied_to) w.start_object().field("guid", g).end_object();
  w.end_array().end_object();
  w.end_object();
  w.key("links").start_object();
  w.key("self").start_object().field("href", urls.api + path + q.guid).end_object();
  if (kind == "space") {
    w.key("organization").start_object();
    w.field("href", urls.api + "/v3/organizations/" + q.organization_guid.value_or(""));
    w.end_object();
  }
  w.end_object();
  w.end_object();
}

// Reads the limits a create or update names into `l`; an error for a bad value.
std::optional<CcError> read_limits(const json::Value& body, QuotaLimits& l) {
  struct Field {
    const char* section;
    const char* key;
    std::optional<std::int64_t>* out;
  };
  const Field fields[] = {
      {"apps", "total_memory_in_mb", &l.total_memory_in_mb},
      {"apps", "per_process_memory_in_mb", &l.per_process_memory_in_mb},
      {"apps", "total_instances", &l.total_instances},
      {"apps", "per_app_tasks", &l.per_app_tasks},
      {"apps", "log_rate_limit_in_bytes_per_second", &l.log_rate_limit_in_bytes_per_second},
      {"services", "total_service_instances", &l.total_service_instances},
      {"services", "total_service_keys", &l.total_service_keys},
      {"routes", "total_routes", &l.total_routes},
      {"routes", "total_reserved_ports", &l.total_reserved_ports},
      {"domains", "total_domains", &l.total_domains},
  };
  for (const auto& f : fields) {
    auto section = body.FindMember(f.section);
    if (section == body.MemberEnd()) continue;
    if (!section->value.IsObject()) {
      return unprocessable(std::string(f.section) + " must be an object");
    }
    auto it = section->value.FindMember(f.key);
    if (it == section->value.MemberEnd()) continue;
    if (it->value.IsNull()) {
      f.out->reset();
    } else if (it->value.IsInt64() && it->value.GetInt64() >= 0) {
      *f.out = it->value.GetInt64();
    } else {
      std::string shown = f.key;
      shown[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(shown[0])));
      for (auto& c : shown) c = c == '_' ? ' ' : c;
      return unprocessable(shown + " must be an integer greater than or equal to 0");
    }
  }
  if (auto s = body.FindMember("services"); s != body.MemberEnd() && s->value.IsObject()) {
    auto paid = s->value.FindMember("paid_services_allowed");
    if (paid != s->value.MemberEnd()) {
      if (!paid->value.IsBool()) return unprocessable("Paid services allowed must be a boolean");
      l.paid_services_allowed = paid->value.GetBool();
    }
  }
  return std::nullopt;
}

std::vector<std::string> data_guids(const json::Value& body) {
  std::vector<std::string> out;
  auto data = body.FindMember("data");
  if (data == body.MemberEnd() || !data->value.IsArray()) return out;
  for (const auto& d : data->value.GetArray()) {
    if (d.IsObject() && d.HasMember("guid") && d["guid"].IsString()) {
      out.push_back(d["guid"].GetString());
    }
  }
  return out;
}

// Whether the caller may change quotas of `kind` in `org` (space quotas): admins, and for
// space quotas the organization's managers.
asio::awaitable<Result<bool>> may_manage(ApiContext& api, const Caller& caller,
                                         const std::string& kind, std::string org) {
  if (caller.admin) co_return true;
  if (kind == "organization" || org.empty() || !caller.can_write) co_return false;
  auto roles = co_await api.db.org_roles_of(caller.user_guid, org);
  if (!roles) co_return std::move(roles).error();
  co_return std::find(roles->begin(), roles->end(), "organization_manager") != roles->end();
}

struct QuotaRoutes {
  ApiContext& api;
  std::string kind;  // "organization" or "space"
  std::string base;  // "/v3/organization_quotas"

  http::Response one(http::StatusCode status, const Quota& q) const {
    json::Writer w;
    write_quota(w, api.urls, kind, q);
    return respond(status, w);
  }

  asio::awaitable<http::Response> create(http::RequestContext& ctx) {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    auto body = json_object_body(ctx);
    if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
    const auto& doc = std::get<json::Document>(body);
    Quota q;
    if (auto n = doc.FindMember("name"); n != doc.MemberEnd()) {
      if (!n->value.IsString()) co_return error_response(unprocessable("Name must be a string"));
      q.name = n->value.GetString();
    }
    if (q.name.empty()) co_return error_response(unprocessable("Name can't be blank"));
    if (q.name.size() > 250) {
      co_return error_response(unprocessable("Name is too long (maximum is 250 characters)"));
    }
    if (auto e = read_limits(doc, q.limits)) co_return error_response(*e);
    std::string org = related_guid(doc, "organization");
    if (kind == "space") {
      Viewer everything;
      everything.admin = true;
      auto o = co_await api.db.organization(everything, org);
      if (!o) co_return store_error(api, o.error());
      if (!*o) {
        co_return error_response(
            unprocessable("Organization with guid '" + org +
                          "' does not exist, or you do not have access to it."));
      }
      q.organization_guid = org;
    }
    auto allowed = co_await may_manage(api, caller, kind, org);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
    q.guid = api.guids.next();
    auto made = co_await api.quotas.create(kind, q);
    if (!made) {
      if (made.error().code == make_error_code(Errc::Conflict)) {
        co_return error_response(unprocessable(made.error().message));
      }
      co_return store_error(api, made.error());
    }
    if (kind == "space") {
      std::vector<std::string> spaces;
      if (auto rel = doc.FindMember("relationships");
          rel != doc.MemberEnd() && rel->value.IsObject() && rel->value.HasMember("spaces")) {
        spaces = data_guids(rel->value["spaces"]);
      }
      if (!spaces.empty()) {
        std::string guid = made->guid;
        if (auto st = co_await api.quotas.apply(kind, guid, spaces); !st) {
          co_return store_error(api, st.error());
        }
        Viewer all;
        all.admin = true;
        auto fresh = co_await api.quotas.get(kind, all, guid);
        if (fresh && *fresh) made = std::move(**fresh);
      }
    }
    co_return one(http::StatusCode::created, *made);
  }

  // The quota the path's :guid names and whether the caller may change it; or the answer.
  asio::awaitable<std::variant<std::pair<Caller, Quota>, http::Response>> find(
      http::RequestContext& ctx, bool to_change) {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    Caller caller = std::get<Caller>(who);
    auto q = co_await api.quotas.get(kind, caller.viewer(), std::string(ctx.params.get("guid")));
    if (!q) co_return store_error(api, q.error());
    if (!*q) {
      co_return error_response(
          not_found(kind == "organization" ? "Organization quota" : "Space quota"));
    }
    if (to_change) {
      std::string org = (*q)->organization_guid.value_or("");
      auto allowed = co_await may_manage(api, caller, kind, org);
      if (!allowed) co_return store_error(api, allowed.error());
      if (!*allowed) co_return error_response(not_authorized());
    }
    co_return std::make_pair(std::move(caller), std::move(**q));
  }
};

void add(http::Router& r, ApiContext& api, const std::string& kind) {
  auto routes = std::make_shared<QuotaRoutes>(QuotaRoutes{
      api, kind, kind == "organization" ? "/v3/organization_quotas" : "/v3/space_quotas"});
  r.get(routes->base, [routes](http::RequestContext& ctx) {
    ListWriter write = [routes](Caller caller, ListQuery q,
                                json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await routes->api.quotas.list(routes->kind, caller.viewer(), std::move(q));
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& x : page->resources) write_quota(w, routes->api.urls, routes->kind, x);
      w.end_array();
      co_return page->total;
    };
    return answer_list(routes->api, ctx, kQuotaList, routes->base, std::move(write));
  });
  r.post(routes->base, [routes](http::RequestContext& ctx) { return routes->create(ctx); });
  r.get(routes->base + "/:guid",
        [routes](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto found = co_await routes->find(ctx, false);
          if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
          co_return routes->one(http::StatusCode::ok,
                                std::get<std::pair<Caller, Quota>>(found).second);
        });
  r.patch(
      routes->base + "/:guid",
      [routes](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
        auto found = co_await routes->find(ctx, true);
        if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
        Quota q = std::get<std::pair<Caller, Quota>>(found).second;
        auto body = json_object_body(ctx);
        if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
        const auto& doc = std::get<json::Document>(body);
        if (auto n = doc.FindMember("name"); n != doc.MemberEnd()) {
          if (!n->value.IsString()) {
            co_return error_response(unprocessable("Name must be a string"));
          }
          if (n->value.GetStringLength() == 0) {
            co_return error_response(unprocessable("Name can't be blank"));
          }
          if (n->value.GetStringLength() > 250) {
            co_return error_response(unprocessable("Name is too long (maximum is 250 characters)"));
          }
          q.name = n->value.GetString();
        }
        if (auto e = read_limits(doc, q.limits)) co_return error_response(*e);
        auto saved = co_await routes->api.quotas.update(routes->kind, q);
        if (!saved) {
          if (saved.error().code == make_error_code(Errc::Conflict)) {
            co_return error_response(unprocessable(saved.error().message));
          }
          co_return store_error(routes->api, saved.error());
        }
        co_return routes->one(http::StatusCode::ok, *saved);
      });
  r.del(routes->base + "/:guid",
        [routes](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto found = co_await routes->find(ctx, true);
          if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
          const auto& [caller, q] = std::get<std::pair<Caller, Quota>>(found);
          std::string guid = q.guid;
          if (auto st = co_await routes->api.quotas.remove(routes->kind, guid); !st) {
            if (st.error().code == make_error_code(Errc::Conflict)) {
              co_return error_response(unprocessable(st.error().message));
            }
            co_return store_error(routes->api, st.error());
          }
          auto job =
              co_await completed_job(routes->api, routes->kind + "_quota.delete", caller.user_guid);
          if (!job) co_return store_error(routes->api, job.error());
          co_return accepted_job(routes->api, *job);
        });

  // Applying a quota: to organizations (admins) or to spaces of its organization.
  std::string target = kind == "organization" ? "organizations" : "spaces";
  r.post(routes->base + "/:guid/relationships/" + target,
         [routes](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
           auto found = co_await routes->find(ctx, true);
           if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
           const auto& [caller, q] = std::get<std::pair<Caller, Quota>>(found);
           auto body = json_object_body(ctx);
           if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
           auto targets = data_guids(std::get<json::Document>(body));
           if (targets.empty())
             co_return error_response(unprocessable("Data must have at least one guid"));
           for (const auto& t : targets) {
             bool ok = false;
             if (routes->kind == "organization") {
               auto o = co_await routes->api.db.organization(caller.viewer(), t);
               if (!o) co_return store_error(routes->api, o.error());
               ok = o->has_value();
             } else {
               auto s = co_await routes->api.db.space(caller.viewer(), t);
               if (!s) co_return store_error(routes->api, s.error());
               ok = s->has_value() && (*s)->organization_guid == q.organization_guid;
             }
             if (!ok) {
               std::string what = routes->kind == "organization" ? "organizations" : "spaces";
               co_return error_response(unprocessable("Quota cannot be applied to " + what +
                                                      " that do not exist or you do not "
                                                      "have access to: " +
                                                      t));
             }
           }
           std::string guid = q.guid;
           if (auto st = co_await routes->api.quotas.apply(routes->kind, guid, targets); !st) {
             co_return store_error(routes->api, st.error());
           }
           json::Writer w;
           w.start_object().key("data").start_array();
           for (const auto& t : targets) w.start_object().field("guid", t).end_object();
           w.end_array().key("links").start_object().key("self").start_object();
           w.field("href", routes->api.urls.api + routes->base + "/" + guid + "/relationships/" +
                               (routes->kind == "organization" ? "organizations" : "spaces"));
           w.end_object().end_object().end_object();
           co_return respond(http::StatusCode::ok, w);
         });
  if (kind == "space") {
    r.del(routes->base + "/:guid/relationships/spaces/:space",
          [routes](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
            auto found = co_await routes->find(ctx, true);
            if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
            std::string guid = std::get<std::pair<Caller, Quota>>(found).second.guid;
            std::string space(ctx.params.get("space"));
            if (auto st = co_await routes->api.quotas.unapply_space(guid, space); !st) {
              if (st.error().code == make_error_code(Errc::NotFound)) {
                co_return error_response(
                    unprocessable("Unable to remove quota from space with guid '" + space +
                                  "'. Ensure the space quota is applied to this space."));
              }
              co_return store_error(routes->api, st.error());
            }
            co_return http::make_response(http::StatusCode::no_content, "", "");
          });
  }
}

}  // namespace

void add_quota_routes(http::Router& r, ApiContext& api) {
  add(r, api, "organization");
  add(r, api, "space");
}

}  // namespace cupola::cc
