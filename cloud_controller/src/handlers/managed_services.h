#pragma once

// Managed service instances and their bindings and keys: the requests that hand work to a
// broker answer 202 with a job; ServiceOperations does the work. Internal to the service
// handlers (services.cpp checks who may ask before these run).

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/handlers/api_context.h"

namespace cupola::cc {

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
