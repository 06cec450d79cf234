#pragma once

// Internal to the ccdb stores: building statements with $n parameters and JSON-array
// filters, the visibility subqueries, and reading rows into records.

#include <optional>
#include <string>
#include <vector>

#include "cloud_controller/src/api/list_query.h"
#include "cloud_controller/src/db/tenancy_db.h"
#include "common/json/json.h"
#include "common/pg/rows.h"

namespace cupola::cc::sql {

inline constexpr const char* kTime = "YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"";

inline std::string ts(const char* column) {
  return std::string("to_char(") + column + " AT TIME ZONE 'UTC', '" + kTime + "')";
}

// A statement being built: WHERE conditions with their $n parameters.
struct Sql {
  std::vector<std::string> where;
  pg::Params params;
  std::string param(pg::Param p) {
    params.push_back(std::move(p));
    return "$" + std::to_string(params.size());
  }
  // `column` equals any of `values` (a JSON array parameter: no escaping pitfalls).
  void any_of(const std::string& column, const std::vector<std::string>& values,
              bool fold_case = false) {
    json::Writer w;
    w.start_array();
    for (const auto& v : values) w.value(v);
    w.end_array();
    std::string p = param(std::string(w.view()));
    std::string lhs = fold_case ? "lower(" + column + ")" : column;
    std::string rhs = fold_case ? "lower(v)" : "v";
    where.push_back(lhs + " IN (SELECT " + rhs + " FROM json_array_elements_text(" + p +
                    "::json) AS v)");
  }
  std::string where_clause() const {
    std::string s;
    for (const auto& w : where) s += (s.empty() ? " WHERE " : " AND ") + w;
    return s;
  }
};

inline std::string visible_orgs(Sql& sql, const std::string& user) {
  std::string u = sql.param(user);
  return "(SELECT organization_guid FROM roles WHERE user_guid = " + u +
         " AND organization_guid IS NOT NULL UNION SELECT s.organization_guid FROM roles r JOIN "
         "spaces s ON s.guid = r.space_guid WHERE r.user_guid = " +
         u + ")";
}

inline std::string visible_spaces(Sql& sql, const std::string& user) {
  std::string u = sql.param(user);
  return "(SELECT space_guid FROM roles WHERE user_guid = " + u +
         " AND space_guid IS NOT NULL UNION SELECT s.guid FROM spaces s JOIN roles r ON "
         "r.organization_guid = s.organization_guid WHERE r.user_guid = " +
         u + " AND r.type = 'organization_manager')";
}

// The spaces whose routes a user sees: visible_spaces, and the spaces of the organizations
// the user audits.
inline std::string route_reading_spaces(Sql& sql, const std::string& user) {
  std::string u = sql.param(user);
  return "(SELECT space_guid FROM roles WHERE user_guid = " + u +
         " AND space_guid IS NOT NULL UNION SELECT s.guid FROM spaces s JOIN roles r ON "
         "r.organization_guid = s.organization_guid WHERE r.user_guid = " +
         u + " AND r.type IN ('organization_manager', 'organization_auditor'))";
}

// The spaces whose audit events a user reads: where they develop, audit or support, and
// the spaces of the organizations they audit.
inline std::string event_reading_spaces(Sql& sql, const std::string& user) {
  std::string u = sql.param(user);
  return "(SELECT space_guid FROM roles WHERE user_guid = " + u +
         " AND space_guid IS NOT NULL AND type IN ('space_developer', 'space_auditor', "
         "'space_supporter') UNION SELECT s.guid FROM spaces s JOIN roles r ON "
         "r.organization_guid = s.organization_guid WHERE r.user_guid = " +
         u + " AND r.type = 'organization_auditor')";
}

inline std::string order_clause(const ListQuery& q, const std::string& table_name_column) {
  std::string col = q.order_by == "name" ? table_name_column : q.order_by;
  return " ORDER BY " + col + (q.descending ? " DESC" : "") + ", guid";
}

inline std::string paging(Sql& sql, const ListQuery& q) {
  return " LIMIT " + sql.param(q.per_page) + " OFFSET " + sql.param(q.offset());
}

// Each row's columns, then (in lists) the total the query matched: RETURNING takes the
// columns alone, since window functions are not allowed there.
// Reads every column of a row into strings, keeping the first error.
struct Reader {
  const pg::Row& row;
  std::optional<Error> error;
  std::string text(int c) {
    auto r = row.text(c);
    if (!r && !error) error = r.error();
    return r ? std::move(r).value() : std::string();
  }
  std::int64_t int64(int c) {
    auto r = row.int64(c);
    if (!r && !error) error = r.error();
    return r ? *r : 0;
  }
  bool boolean(int c) {
    auto r = row.boolean(c);
    if (!r && !error) error = r.error();
    return r ? *r : false;
  }
};

template <class T, class Read>
Result<Page<T>> read_page(const pg::Rows& rows, int total_column, Read read) {
  Page<T> page;
  for (auto row : rows) {
    Reader r{row, {}};
    page.resources.push_back(read(r));
    if (total_column >= 0) page.total = r.int64(total_column);
    if (r.error) return *r.error;
  }
  return page;
}

template <class T>
Result<std::optional<T>> first_of(Result<Page<T>> page) {
  if (!page) return std::move(page).error();
  if (page->resources.empty()) return std::optional<T>();
  return std::optional<T>(std::move(page->resources.front()));
}

inline Error conflict(std::string message) {
  return make_error(Errc::Conflict, std::move(message));
}

}  // namespace cupola::cc::sql
