#pragma once

// Audit and usage events: recording them as the other handlers change things, and the v3
// endpoints that list them. Recording never fails a request: a failure is logged.

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/handlers/api_context.h"

namespace cupola::cc {

struct EventTarget {
  std::string guid;
  std::string type;  // "app", "route", "space", "organization"
  std::string name;
};

inline EventTarget app_target(const App& a) { return {a.guid, "app", a.name}; }

// An audit event by `caller` (`type` as Cloud Foundry names it: "audit.app.start"); its
// organization is the space's.
boost::asio::awaitable<void> audit(ApiContext& api, Caller caller, std::string type,
                                   EventTarget target, std::string space_guid,
                                   std::string data_json = "{}");

// A usage event for each process of the app, now in `state` (STARTED or STOPPED) after
// `previous`; with `before`, only for that process, which had those instances and memory.
boost::asio::awaitable<void> record_usage(ApiContext& api, std::string app_guid, std::string state,
                                          std::string previous,
                                          std::optional<Process> before = std::nullopt);

}  // namespace cupola::cc
