#pragma once

// The v3 JSON of domains, routes and destinations, and what their handlers share.

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/db/routes_db.h"
#include "cloud_controller/src/handlers/api_context.h"

namespace cupola::cc {

void write_domain(json::Writer& w, const Urls& urls, const Domain& d);
void write_route(json::Writer& w, const Urls& urls, const Route& r);
void write_destination(json::Writer& w, const Destination& d);
// {"destinations": [...], "links": {...}} of a route.
void write_destination_list(json::Writer& w, const Urls& urls, const Route& r);

// relationships.<name>.data.guid of a request body, or "".
std::string related_guid(const json::Value& body, const char* name);

// The organization's default domain: the oldest shared one.
boost::asio::awaitable<Result<std::optional<Domain>>> default_domain(ApiContext& api,
                                                                     std::string org_guid);

}  // namespace cupola::cc
