#include "cloud_controller/src/handlers/buildpacks.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/settings.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kV3Version = "3.107.0";
constexpr std::string_view kV2Version = "2.172.0";

// Every resource the cf CLI looks up in /v3's links (cf-api.md §1.1).
constexpr std::string_view kV3Resources[] = {"apps",
                                             "builds",
                                             "buildpacks",
                                             "deployments",
                                             "domains",
                                             "droplets",
                                             "audit_events",
                                             "environment_variable_groups",
                                             "feature_flags",
                                             "isolation_segments",
                                             "organizations",
                                             "organization_quotas",
                                             "packages",
                                             "processes",
                                             "resource_matches",
                                             "roles",
                                             "routes",
                                             "security_groups",
                                             "service_brokers",
                                             "service_instances",
                                             "service_offerings",
                                             "service_plans",
                                             "space_quotas",
                                             "spaces",
                                             "stacks",
                                             "tasks",
                                             "users"};

void href(json::Writer& w, std::string_view key, const std::string& url) {
  w.key(key).start_object().field("href", url).end_object();
}

}  // namespace

void add_root_routes(http::Router& r, ApiContext& api) {
  r.get("/", [&api](http::RequestContext&) -> asio::awaitable<http::Response> {
    const Urls& u = api.urls;
    json::Writer w;
    w.start_object().key("links").start_object();
    href(w, "self", u.api);
    w.key("cloud_controller_v2").start_object().field("href", u.api + "/v2");
    w.key("meta").start_object().field("version", kV2Version).end_object().end_object();
    w.key("cloud_controller_v3").start_object().field("href", u.api + "/v3");
    w.key("meta").start_object().field("version", kV3Version).end_object().end_object();
    href(w, "login", u.login);
    href(w, "uaa", u.uaa);
    href(w, "log_cache", u.log_cache);
    w.key("logging").value(nullptr).key("routing").value(nullptr);
    w.key("network_policy_v1").value(nullptr).key("app_ssh").value(nullptr);
    w.key("credhub").value(nullptr).key("bits_service").value(nullptr);
    w.end_object().end_object();
    co_return respond(http::StatusCode::ok, w);
  });
  r.get("/v3", [&api](http::RequestContext&) -> asio::awaitable<http::Response> {
    json::Writer w;
    w.start_object().key("links").start_object();
    href(w, "self", api.urls.api + "/v3");
    for (auto name : kV3Resources) href(w, name, api.urls.api + "/v3/" + std::string(name));
    w.end_object().end_object();
    co_return respond(http::StatusCode::ok, w);
  });
  r.get("/v3/info", [&api](http::RequestContext&) -> asio::awaitable<http::Response> {
    json::Writer w;
    w.start_object()
        .field("build", "")
        .key("cli_version")
        .start_object()
        .key("minimum")
        .value(nullptr)
        .key("recommended")
        .value(nullptr)
        .end_object()
        .field("custom", "")
        .field("description", "Cupola")
        .field("name", "cupola")
        .field("version", 0)
        .field("osbapi_version", "2.17");
    w.key("links").start_object();
    href(w, "self", api.urls.api + "/v3/info");
    href(w, "support", "");
    w.end_object().end_object();
    co_return respond(http::StatusCode::ok, w);
  });
  r.get("/v2/info", [&api](http::RequestContext&) -> asio::awaitable<http::Response> {
    json::Writer w;
    w.start_object()
        .field("name", "cupola")
        .field("build", "")
        .field("support", "")
        .field("version", 0)
        .field("description", "Cupola")
        .field("authorization_endpoint", api.urls.login)
        .field("token_endpoint", api.urls.uaa)
        .key("min_cli_version")
        .value(nullptr)
        .key("min_recommended_cli_version")
        .value(nullptr)
        .field("api_version", kV2Version)
        .field("osbapi_version", "2.17")
        .end_object();
    co_return respond(http::StatusCode::ok, w);
  });
}

http::Router make_cc_router(ApiContext& api) {
  http::Router r;
  add_root_routes(r, api);
  add_organization_routes(r, api);
  add_space_routes(r, api);
  add_role_routes(r, api);
  add_user_and_job_routes(r, api);
  add_app_routes(r, api);
  add_process_routes(r, api);
  add_package_routes(r, api);
  add_build_routes(r, api);
  add_app_lifecycle_routes(r, api);
  add_internal_routes(r, api);
  add_domain_routes(r, api);
  add_route_routes(r, api);
  add_manifest_routes(r, api);
  add_settings_routes(r, api);
  add_quota_routes(r, api);
  add_buildpack_routes(r, api);
  add_event_routes(r, api);
  add_service_routes(r, api);
  add_service_broker_routes(r, api);
  add_service_offering_routes(r, api);
  add_placement_routes(r, api);
  add_v2_routes(r, api);
  return r;
}

}  // namespace cupola::cc
