#pragma once

// Quota checks the other handlers make before they let more run or be routed. Each answers
// the 422 Cloud Foundry gives ("memory quota_exceeded", "Routes quota exceeded for
// organization 'acme'."), nothing when the change fits, or a store error.

#include <optional>
#include <string>
#include <variant>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/handlers/api_context.h"

namespace cupola::cc {

// Nothing to refuse, a refusal, or the store failed.
using QuotaCheck = std::variant<std::monostate, CcError, Error>;

// Whether `process` (a process of a started app in the space, with its new instances and
// memory) fits: the per-process memory limits and the organization's and space's totals,
// counting every other started process.
boost::asio::awaitable<QuotaCheck> check_process_quota(ApiContext& api, std::string space_guid,
                                                       Process process);
// Whether starting `app` (stopped or started) with its processes as stored fits.
boost::asio::awaitable<QuotaCheck> check_start_quota(ApiContext& api, App app);
// Whether one more route fits in the space and its organization.
boost::asio::awaitable<QuotaCheck> check_route_quota(ApiContext& api, std::string space_guid);

// Whether one more managed service instance (of a paid plan when `paid`) fits in the space
// and its organization.
boost::asio::awaitable<QuotaCheck> check_service_instance_quota(ApiContext& api,
                                                                std::string space_guid, bool paid);
// Whether one more service key fits.
boost::asio::awaitable<QuotaCheck> check_service_key_quota(ApiContext& api, std::string space_guid);

// The answer for a failed check, or nothing when it passed.
std::optional<http::Response> quota_refusal(ApiContext& api, const QuotaCheck& check);

}  // namespace cupola::cc
