#pragma once

// The Cloud Controller's v2 shapes, which the cf CLI's v2-based service commands read: a
// resource is {"metadata": {guid, url, created_at, updated_at}, "entity": {...}}; a list is
// {total_results, total_pages, prev_url, next_url, resources} with next_url a path under the
// API root; an error is {"code", "description", "error_code"}; a list is filtered by repeated
// q= parameters ("name:db", "name IN a,b"). Internal to the v2 handlers.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/handlers/api_context.h"

namespace cupola::cc {

// A v2 error: `e.status`, {"code": e.code, "description": e.detail, "error_code": e.title}.
http::Response v2_error(const CcError& e);
// An answer of the shared (v3) checks in v2's shape: a v3 error body becomes a v2 one with the
// same status, code and name; any other answer is returned as it is.
http::Response v2_answer(http::Response res);

// Cloud Foundry's v2 errors the handlers answer with ("CF-" + name).
CcError v2_failure(http::StatusCode status, int code, std::string_view name,
                   std::string description);
CcError service_instance_not_found(std::string_view guid);  // 404, 60004
CcError space_not_found(std::string_view guid);             // 404, 40004
CcError app_not_found(std::string_view guid);               // 404, 100004
CcError binding_not_found(std::string_view guid);           // 404, 90004
CcError key_not_found(std::string_view guid);               // 404, 360003
CcError plan_not_found(std::string_view guid);              // 404, 110003
CcError service_not_found(std::string_view guid);           // 404, 120003
CcError broker_failed(std::string description);             // 502, 10001 ServiceBrokerBadResponse

// The query of a v2 list.
struct V2Query {
  // q attribute → the values it matches ("name:db" → {"name", {"db"}}; "name IN a,b").
  std::map<std::string, std::vector<std::string>> filters;
  std::int64_t page = 1;
  std::int64_t per_page = 50;     // results-per-page, 1..100
  std::string order_by;           // "" (creation) or "name"
  bool descending = false;        // order-direction=desc
  bool inline_relations = false;  // inline-relations-depth >= 1
  // The other parameters as sent (q, inline-relations-depth, ...): next_url repeats them.
  std::string rest;

  const std::vector<std::string>* filter(std::string_view attribute) const;
};

// Parses `query` (after '?'): page, results-per-page, order-direction, order-by,
// inline-relations-depth and q filters on the `attributes` the list knows; other parameters
// are ignored, as Cloud Foundry does. The refusal: 400 CF-BadQueryParameter (10005).
std::variant<V2Query, CcError> parse_v2_query(std::string_view query,
                                              const std::vector<std::string>& attributes);

// The page and order of a v2 query for a store's list (its filters are the caller's).
ListQuery store_query(const V2Query& q);

// Writes one resource's "metadata" member. `url` is its path ("/v2/apps/<guid>").
void write_v2_metadata(json::Writer& w, const std::string& guid, const std::string& url,
                       const std::string& created_at, const std::string& updated_at);
// Writes a list's members other than "resources": totals and the neighbouring pages' paths.
void write_v2_page(json::Writer& w, const V2Query& q, std::int64_t total, const std::string& path);

// Writes one page's "resources" for the caller and query, returning how many resources match in
// all, or the answer to give instead.
using V2ListWriter =
    std::function<boost::asio::awaitable<std::variant<std::int64_t, http::Response>>(
        Caller caller, V2Query query, json::Writer& w)>;

// A v2 list endpoint at `path` ("/v2/services"): authenticates, parses the query against
// `attributes`, lets `write` add the resources, and adds the pagination. Errors in v2's shape.
boost::asio::awaitable<http::Response> answer_v2_list(ApiContext& api, http::RequestContext& ctx,
                                                      std::vector<std::string> attributes,
                                                      std::string path, V2ListWriter write);

}  // namespace cupola::cc
