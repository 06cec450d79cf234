// The marketplace through the v2 API (what cf create-service, services and service look up):
// services (offerings) and their plans as the caller may see them, a space's services, and
// the feature flags. A service's "extra" is JSON text, as the cf CLI parses it.

#include <set>

#include "cloud_controller/src/handlers/v2_json.h"
#include "cloud_controller/src/handlers/v2_support.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const std::vector<std::string> kServiceAttributes{"label", "service_broker_guid", "active",
                                                  "unique_id"};
const std::vector<std::string> kPlanAttributes{"service_guid", "service_broker_guid", "active",
                                               "unique_id"};

void copy_filters(const V2Query& q, ListQuery& out,
                  std::initializer_list<std::pair<const char*, const char*>> names) {
  for (const auto& [attribute, filter] : names) {
    if (const auto* v = q.filter(attribute)) out.filters[filter] = *v;
  }
}

ListQuery service_query(const V2Query& q) {
  ListQuery out = store_query(q);
  copy_filters(q, out,
               {{"label", "names"},
                {"service_broker_guid", "service_broker_guids"},
                {"active", "available"},
                {"unique_id", "broker_catalog_ids"}});
  return out;
}

ListQuery plan_query(const V2Query& q) {
  ListQuery out = store_query(q);
  copy_filters(q, out,
               {{"service_guid", "service_offering_guids"},
                {"service_broker_guid", "service_broker_guids"},
                {"active", "available"},
                {"unique_id", "broker_catalog_ids"}});
  return out;
}

// Services: those the caller sees; with `space`, those with a plan instances in the space
// may use (admins may use any plan, as v3 lets them).
V2ListWriter service_list(ApiContext& api, std::optional<std::string> space) {
  return [&api, space](
             Caller caller, V2Query q,
             json::Writer& w) -> asio::awaitable<std::variant<std::int64_t, http::Response>> {
    ListQuery lq = service_query(q);
    Viewer viewer = caller.viewer();
    if (space) {
      auto found = co_await v2_space(api, caller, *space);
      if (auto* refusal = std::get_if<http::Response>(&found)) co_return *refusal;
    }
    if (space && !caller.admin) {
      ListQuery pq;
      pq.per_page = kMaxPerPage;
      if (const auto* labels = q.filter("label")) pq.filters["service_offering_names"] = *labels;
      auto plans = co_await api.brokers.list_plans(viewer, std::move(pq));
      if (!plans) co_return store_error(api, plans.error());
      std::set<std::string> usable;
      for (const auto& p : plans->resources) {
        if (usable.contains(p.offering_guid) || !p.available) continue;
        auto in_space = co_await api.brokers.plan_in_space(p.guid, *space);
        if (!in_space) co_return store_error(api, in_space.error());
        if (*in_space) usable.insert(p.offering_guid);
      }
      lq.filters["guids"] = std::vector<std::string>(usable.begin(), usable.end());
      viewer.admin = true;
    }
    auto page = co_await api.brokers.list_offerings(viewer, std::move(lq));
    if (!page) co_return store_error(api, page.error());
    w.key("resources").start_array();
    for (const auto& o : page->resources) write_v2_service(w, o);
    w.end_array();
    co_return page->total;
  };
}

// Plans the caller sees, of `service` when it is given.
V2ListWriter plan_list(ApiContext& api, std::optional<std::string> service) {
  return [&api, service](
             Caller caller, V2Query q,
             json::Writer& w) -> asio::awaitable<std::variant<std::int64_t, http::Response>> {
    ListQuery lq = plan_query(q);
    if (service) {
      auto found = co_await api.brokers.offering(caller.viewer(), *service);
      if (!found) co_return store_error(api, found.error());
      if (!*found) co_return v2_error(service_not_found(*service));
      lq.filters["service_offering_guids"] = {*service};
    }
    auto page = co_await api.brokers.list_plans(caller.viewer(), std::move(lq));
    if (!page) co_return store_error(api, page.error());
    w.key("resources").start_array();
    for (const auto& p : page->resources) write_v2_plan(w, p);
    w.end_array();
    co_return page->total;
  };
}

void write_flag(json::Writer& w, const FeatureFlag& f) {
  w.start_object().field("name", f.name).field("enabled", f.enabled).key("error_message");
  if (f.custom_error_message) {
    w.value(*f.custom_error_message);
  } else {
    w.value(nullptr);
  }
  w.field("url", "/v2/config/feature_flags/" + f.name).end_object();
}

}  // namespace

void add_v2_catalog_routes(http::Router& r, ApiContext& api) {
  r.get("/v2/services", [&api](http::RequestContext& ctx) {
    return answer_v2_list(api, ctx, kServiceAttributes, "/v2/services",
                          service_list(api, std::nullopt));
  });
  r.get("/v2/spaces/:guid/services", [&api](http::RequestContext& ctx) {
    std::string space(ctx.params.get("guid"));
    return answer_v2_list(api, ctx, kServiceAttributes, "/v2/spaces/" + space + "/services",
                          service_list(api, space));
  });
  r.get("/v2/services/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await v2_authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    std::string guid(ctx.params.get("guid"));
    auto o = co_await api.brokers.offering(std::get<Caller>(who).viewer(), guid);
    if (!o) co_return v2_answer(store_error(api, o.error()));
    if (!*o) co_return v2_error(service_not_found(guid));
    json::Writer w;
    write_v2_service(w, **o);
    co_return respond(http::StatusCode::ok, w);
  });
  r.get("/v2/services/:guid/service_plans", [&api](http::RequestContext& ctx) {
    std::string guid(ctx.params.get("guid"));
    return answer_v2_list(api, ctx, kPlanAttributes, "/v2/services/" + guid + "/service_plans",
                          plan_list(api, guid));
  });
  r.get("/v2/service_plans", [&api](http::RequestContext& ctx) {
    return answer_v2_list(api, ctx, kPlanAttributes, "/v2/service_plans",
                          plan_list(api, std::nullopt));
  });
  r.get("/v2/service_plans/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await v2_authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          std::string guid(ctx.params.get("guid"));
          auto p = co_await api.brokers.plan(std::get<Caller>(who).viewer(), guid);
          if (!p) co_return v2_answer(store_error(api, p.error()));
          if (!*p) co_return v2_error(plan_not_found(guid));
          json::Writer w;
          write_v2_plan(w, **p);
          co_return respond(http::StatusCode::ok, w);
        });

  // A plain array of every flag (not a paged list).
  r.get("/v2/config/feature_flags",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await v2_authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          auto flags = co_await api.settings.feature_flags();
          if (!flags) co_return v2_answer(store_error(api, flags.error()));
          json::Writer w;
          w.start_array();
          for (const auto& f : *flags) write_flag(w, f);
          w.end_array();
          co_return respond(http::StatusCode::ok, w);
        });
  r.get(
      "/v2/config/feature_flags/:name",
      [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
        auto who = co_await v2_authenticate(api, ctx);
        if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
        std::string name(ctx.params.get("name"));
        auto flag = co_await api.settings.feature_flag(name);
        if (!flag) co_return v2_answer(store_error(api, flag.error()));
        if (!*flag) {
          co_return v2_error(v2_failure(http::StatusCode::not_found, 330000, "FeatureFlagNotFound",
                                        "The feature flag could not be found: " + name));
        }
        json::Writer w;
        write_flag(w, **flag);
        co_return respond(http::StatusCode::ok, w);
      });
}

}  // namespace cupola::cc
