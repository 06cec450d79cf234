#pragma once

// Feature flags, environment variable groups and an app's whole environment (cf env): their
// routes, and what other handlers and the bridge ask of them. Everything runs on the API's
// executor; `api` must outlive the server.

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/handlers/api_context.h"
#include "common/http/router.h"

namespace cupola::cc {

// /v3/feature_flags, /v3/environment_variable_groups and GET /v3/apps/:guid/env.
void add_settings_routes(http::Router& r, ApiContext& api);

// Whether the flag is on: as an admin set it, else Cloud Foundry's default. InvalidArgument for
// a name that is not a flag. Exempting admins, where Cloud Foundry does, is the caller's part.
boost::asio::awaitable<Result<bool>> feature_enabled(ApiContext& api, std::string name);

// 403 CF-FeatureDisabled (330002): "Feature Disabled: " and the flag's custom error message,
// or its name when it has none.
CcError feature_disabled(std::string_view name, const std::optional<std::string>& custom_message);

// Nothing while the flag is on; else the answer: the 403 above (503 or 500 when the store
// fails).
boost::asio::awaitable<std::optional<http::Response>> refuse_unless_enabled(ApiContext& api,
                                                                            std::string name);

// The variables of the "running" or "staging" group as a JSON object's text. NotFound for
// other names.
boost::asio::awaitable<Result<std::string>> environment_group(ApiContext& api, std::string name);

}  // namespace cupola::cc
