#pragma once

// The query of a v3 list: page, per_page, order_by, include and the resource's filters, as
// Cloud Foundry parses them (cf-api.md §1.5), and the pagination envelope built from it.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::cc {

// What a list endpoint accepts besides page and per_page.
struct ListSpec {
  std::set<std::string> filters;   // "names", "guids", "organization_guids", ...
  std::set<std::string> order_by;  // "name", "created_at", "updated_at" (each also with '-')
  std::set<std::string> includes;  // "user", "space.organization", ...
};

struct ListQuery {
  std::int64_t page = 1;
  std::int64_t per_page = 50;
  std::string order_by = "created_at";  // without a '-' prefix
  bool descending = false;
  // Filter → its values: key=v1,v2 matches any; an empty value is meaningful.
  std::map<std::string, std::vector<std::string>> filters;
  std::set<std::string> includes;

  const std::vector<std::string>* filter(std::string_view name) const;
  std::int64_t offset() const { return (page - 1) * per_page; }
};

inline constexpr std::int64_t kMaxPerPage = 5000;

// Parses `query` (after '?'). A filter value is decoded once, split on ',', and "%2C" inside
// a part turns back into ','. Errors: InvalidArgument whose message is the detail of a 400
// CF-BadQueryParameter, in Cloud Foundry's wording ("Per page must be between 1 and 5000",
// "Unknown query parameter(s): 'x'. Valid parameters are: ...").
Result<ListQuery> parse_list_query(std::string_view query, const ListSpec& spec);

// The pagination object: total_results, total_pages, first, last, next, previous, whose
// hrefs repeat the query's filters and order on `base_url` (the list's absolute URL).
void write_pagination(json::Writer& w, const ListQuery& q, std::int64_t total,
                      const std::string& base_url);

}  // namespace cupola::cc
