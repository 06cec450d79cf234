#pragma once

// Managed service instances and their bindings and keys: the requests that hand work to a
// broker answer 202 with a job; ServiceOperations does the work. Internal to the service
// handlers (services.cpp and the v2 handlers check who may ask before these run).

#include <optional>
#include <string>
#include <variant>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/handlers/api_context.h"

namespace cupola::cc {

// What a managed request set going: the instance or binding as stored once its operation
// began (or as it was, for what ended at once), and the job that follows the broker's part.
struct StartedInstance {
  ServiceInstance instance;
  std::optional<Job> job;  // none when no broker was asked (a rename, a purge)
};
struct StartedBinding {
  ServiceBinding binding;
  Job job;
};

// The start_* calls validate a request, store it and hand the broker's part to
// ServiceOperations: what they started, or the refusal to answer (in v3's error shape). The
// v3 calls below answer it; the v2 API answers the same work in its own shapes.

// A managed instance from a v3 body (type, name, parameters, tags, metadata, relationships),
// by a developer of `space_guid`.
boost::asio::awaitable<std::variant<StartedInstance, http::Response>> start_managed_instance(
    ApiContext& api, Caller caller, std::string body, std::string space_guid);
// A v3 PATCH body: a new name or tags are stored at once; a plan or parameters go to the broker.
boost::asio::awaitable<std::variant<StartedInstance, http::Response>> start_managed_update(
    ApiContext& api, Caller caller, ServiceInstance instance, std::string body);
// `purge` (admins) forgets the instance without asking the broker.
boost::asio::awaitable<std::variant<StartedInstance, http::Response>> start_managed_delete(
    ApiContext& api, Caller caller, ServiceInstance instance, bool purge);
// An app binding (`app_guid`) or a key (app_guid ""); the body's name and parameters.
boost::asio::awaitable<std::variant<StartedBinding, http::Response>> start_managed_binding(
    ApiContext& api, Caller caller, std::string body, ServiceInstance instance,
    std::string app_guid);
boost::asio::awaitable<std::variant<StartedBinding, http::Response>> start_managed_unbinding(
    ApiContext& api, Caller caller, ServiceBinding binding);

// POST /v3/service_instances with type "managed", by a developer of `space_guid`.
boost::asio::awaitable<http::Response> create_managed_instance(ApiContext& api, Caller caller,
                                                               std::string body,
                                                               std::string space_guid);
// PATCH of a managed instance: 200 for a new name or tags, 202 when the broker is asked.
boost::asio::awaitable<http::Response> update_managed_instance(ApiContext& api, Caller caller,
                                                               ServiceInstance instance,
                                                               std::string body);
// DELETE of a managed instance; `purge` (admins) forgets it without asking the broker.
boost::asio::awaitable<http::Response> delete_managed_instance(ApiContext& api, Caller caller,
                                                               ServiceInstance instance,
                                                               bool purge);
// POST /v3/service_credential_bindings for a managed instance: an app binding (`app_guid`)
// or a key (app_guid "").
boost::asio::awaitable<http::Response> create_managed_binding(ApiContext& api, Caller caller,
                                                              std::string body,
                                                              ServiceInstance instance,
                                                              std::string app_guid);
boost::asio::awaitable<http::Response> delete_managed_binding(ApiContext& api, Caller caller,
                                                              ServiceBinding binding);

}  // namespace cupola::cc
