#pragma once

// What the v2 handlers share: their route groups, who may see and change what (the same rules
// as v3, answered in v2's shapes), the credentials a reader is shown, and waiting for what a
// broker does at once. Internal to the v2 handlers.

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/handlers/api_context.h"
#include "cloud_controller/src/handlers/v2_service_json.h"
#include "common/http/router.h"

namespace cupola::cc {

// /v2/service_instances, /v2/user_provided_service_instances and a space's instances.
void add_v2_instance_routes(http::Router& r, ApiContext& api);
// POST, PUT and DELETE of /v2/user_provided_service_instances (cf cups, cf uups).
void add_v2_user_provided_routes(http::Router& r, ApiContext& api);
// PUT and DELETE of the user-provided instance the route's :guid names (also reached through
// /v2/service_instances/:guid, as cf rename-service and cf delete-service use it).
boost::asio::awaitable<http::Response> update_user_provided_instance(ApiContext& api,
                                                                     http::RequestContext& ctx);
boost::asio::awaitable<http::Response> delete_user_provided_instance(ApiContext& api,
                                                                     http::RequestContext& ctx);
// /v2/service_bindings, /v2/service_keys and an instance's bindings and keys.
void add_v2_binding_routes(http::Router& r, ApiContext& api);
// /v2/services, /v2/service_plans, a space's services and /v2/config/feature_flags.
void add_v2_catalog_routes(http::Router& r, ApiContext& api);
// /v2/apps and /v2/spaces/:guid/summary.
void add_v2_app_and_space_routes(http::Router& r, ApiContext& api);

inline const std::vector<std::string> kV2Developers{"space_developer"};
inline const std::vector<std::string> kV2Binders{"space_developer", "space_supporter"};

// The caller, or the 401 to answer (v2's shape).
boost::asio::awaitable<std::variant<Caller, http::Response>> v2_authenticate(
    ApiContext& api, http::RequestContext& ctx);
// The request body as a JSON object, or the 400 to answer (v2's shape).
std::variant<json::Document, http::Response> v2_body(const http::RequestContext& ctx);

// The space the caller sees, or the 404 (CF-SpaceNotFound) or store error to answer.
boost::asio::awaitable<std::variant<Space, http::Response>> v2_space(ApiContext& api,
                                                                     const Caller& caller,
                                                                     std::string guid);
// The instance the caller sees, or the 404 (CF-ServiceInstanceNotFound) or store error.
boost::asio::awaitable<std::variant<ServiceInstance, http::Response>> v2_instance(
    ApiContext& api, const Caller& caller, std::string guid);
// Nothing when the caller is an admin or holds one of `roles` in the space; else the 403
// (CF-NotAuthorized) or store error to answer.
boost::asio::awaitable<std::optional<http::Response>> v2_refusal_unless(
    ApiContext& api, const Caller& caller, std::string space_guid, std::vector<std::string> roles);

// Whether an instance of that name is in the space (its names are one namespace).
boost::asio::awaitable<Result<bool>> instance_name_taken(ApiContext& api, std::string space_guid,
                                                         std::string name);

// The credentials (JSON object text) the caller is shown of each binding or key: the real
// ones for admins, read-only admins and the developers of its instance's space; Cloud
// Foundry's redaction for others.
boost::asio::awaitable<Result<std::vector<ShownBinding>>> shown_bindings(
    ApiContext& api, Caller caller, std::vector<ServiceBinding> bindings);
// Whether the caller reads the credentials of instances in the space.
boost::asio::awaitable<Result<bool>> reads_credentials(ApiContext& api, const Caller& caller,
                                                       std::string space_guid);
// Sealed credentials opened ("{}" for none, or when they can't be opened; logged).
std::string opened_credentials(ApiContext& api, const std::string& sealed);

// The plans of the managed instances among `instances`, by guid.
boost::asio::awaitable<Result<std::map<std::string, ServicePlan>>> plans_of(
    ApiContext& api, std::vector<ServiceInstance> instances);

// The instances as v2 resources (JSON texts) for the caller: each managed one with its plan's
// service, each user-provided one with the credentials the caller may see, and with
// `inline_relations` their bindings, keys and plan inlined.
boost::asio::awaitable<Result<std::vector<std::string>>> rendered_instances(
    ApiContext& api, Caller caller, std::vector<ServiceInstance> instances, bool inline_relations);
// One instance as the answer, with `status`.
boost::asio::awaitable<http::Response> answer_instance(ApiContext& api, Caller caller,
                                                       ServiceInstance instance,
                                                       http::StatusCode status);

// Waits, a bounded while, for the operation on an instance or binding to end, or (with
// `until_accepted`) for its broker to take it on asynchronously: v2 answers a broker that
// works at once as done (201, 204) and one that works on as accepted (202). What is stored
// then, or none once it is gone.
boost::asio::awaitable<Result<std::optional<ServiceInstance>>> settled_instance(
    ApiContext& api, std::string guid, bool until_accepted);
boost::asio::awaitable<Result<std::optional<ServiceBinding>>> settled_binding(ApiContext& api,
                                                                              std::string guid,
                                                                              bool until_accepted);

}  // namespace cupola::cc
