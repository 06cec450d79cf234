#include "cloud_controller/src/db/routes_db.h"

#include <algorithm>

#include "cloud_controller/src/db/sql_support.h"
#include "common/pg/error.h"
#include "common/pg/transaction.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

using namespace sql;

const std::string kDomainRow = "d.guid, d.name, d.internal, d.organization_guid, " +
                               ts("d.created_at") + ", " + ts("d.updated_at");
const std::string kRouteRow = "r.guid, r.host, r.path, r.domain_guid, d.name, r.space_guid, " +
                              ts("r.created_at") + ", " + ts("r.updated_at");

Domain read_domain(Reader& r) {
  Domain d;
  d.guid = r.text(0);
  d.name = r.text(1);
  d.internal = r.boolean(2);
  if (auto o = r.row.optional_text(3); o && *o) d.organization_guid = **o;
  d.created_at = r.text(4);
  d.updated_at = r.text(5);
  return d;
}

Route read_route(Reader& r) {
  Route x;
  x.guid = r.text(0);
  x.host = r.text(1);
  x.path = r.text(2);
  x.domain_guid = r.text(3);
  x.domain_name = r.text(4);
  x.space_guid = r.text(5);
  x.created_at = r.text(6);
  x.updated_at = r.text(7);
  return x;
}

Error route_taken(const Route& r) {
  std::string where = "host '" + r.host + "'";
  if (!r.path.empty()) where += " and path '" + r.path + "'";
  return conflict("Route already exists with " + where + " for domain '" + r.domain_name + "'.");
}

}  // namespace

asio::awaitable<Result<Page<Domain>>> RoutesDb::list_domains(Viewer viewer, ListQuery q,
                                                             std::optional<std::string> for_org) {
  Sql sql;
  if (auto* v = q.filter("names")) sql.any_of("d.name", *v, true);
  if (auto* v = q.filter("guids")) sql.any_of("d.guid", *v);
  if (auto* v = q.filter("organization_guids")) sql.any_of("d.organization_guid", *v);
  if (for_org) {
    sql.where.push_back(
        "(d.organization_guid IS NULL OR d.organization_guid = " + sql.param(*for_org) + ")");
  }
  if (!viewer.sees_everything()) {
    sql.where.push_back("(d.organization_guid IS NULL OR d.organization_guid IN " +
                        visible_orgs(sql, viewer.user_guid) + ")");
  }
  std::string order = q.order_by == "name" ? "d.name" : "d." + q.order_by;
  std::string text = "SELECT " + kDomainRow + ", count(*) OVER () FROM domains d" +
                     sql.where_clause() + " ORDER BY " + order + (q.descending ? " DESC" : "") +
                     ", d.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<Domain>(*rows, 6, read_domain);
}

asio::awaitable<Result<std::optional<Domain>>> RoutesDb::domain(Viewer viewer, std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_domains(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<Domain>> RoutesDb::create_domain(Domain d) {
  auto rows = co_await pool_.query(
      "INSERT INTO domains AS d (guid, name, internal, organization_guid) VALUES ($1, $2, $3, "
      "$4) RETURNING " +
          kDomainRow,
      d.guid, d.name, d.internal, d.organization_guid);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) {
      co_return conflict("The domain name \"" + d.name + "\" is already in use");
    }
    co_return std::move(rows).error();
  }
  auto page = read_page<Domain>(*rows, -1, read_domain);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources.front());
}

asio::awaitable<Status> RoutesDb::ensure_shared_domain(std::string guid, std::string name) {
  auto rows = co_await pool_.query(
      "INSERT INTO domains (guid, name) SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM domains "
      "WHERE lower(name) = lower($2))",
      guid, name);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Status> RoutesDb::delete_domain(std::string guid) {
  auto used = co_await pool_.query("SELECT count(*) FROM routes WHERE domain_guid = $1", guid);
  if (!used) co_return std::move(used).error();
  std::int64_t n = 0;
  for (auto row : *used) n = row.int64(0).value_or(0);
  if (n > 0) {
    co_return conflict("This domain has associated routes. Delete the routes and try again.");
  }
  auto rows = co_await pool_.query("DELETE FROM domains WHERE guid = $1", guid);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<Page<Route>>> RoutesDb::list_routes(Viewer viewer, ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("r.guid", *v);
  if (auto* v = q.filter("hosts")) sql.any_of("r.host", *v, true);
  if (auto* v = q.filter("paths")) sql.any_of("r.path", *v);
  if (auto* v = q.filter("domain_guids")) sql.any_of("r.domain_guid", *v);
  if (auto* v = q.filter("space_guids")) sql.any_of("r.space_guid", *v);
  if (auto* v = q.filter("organization_guids")) sql.any_of("s.organization_guid", *v);
  if (auto* v = q.filter("app_guids")) {
    // any_of's condition on the destinations, moved into a subquery.
    sql.any_of("dst.app_guid", *v);
    std::string cond = sql.where.back();
    sql.where.back() =
        "r.guid IN (SELECT dst.route_guid FROM route_destinations dst WHERE " + cond + ")";
  }
  if (!viewer.sees_everything()) {
    sql.where.push_back("r.space_guid IN " + route_reading_spaces(sql, viewer.user_guid));
  }
  std::string text = "SELECT " + kRouteRow +
                     ", count(*) OVER () FROM routes r JOIN domains d ON d.guid = r.domain_guid "
                     "JOIN spaces s ON s.guid = r.space_guid" +
                     sql.where_clause() + " ORDER BY r." + q.order_by +
                     (q.descending ? " DESC" : "") + ", r.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  auto page = read_page<Route>(*rows, 8, read_route);
  if (!page) co_return std::move(page).error();
  if (auto st = co_await load_destinations(page->resources); !st) co_return std::move(st).error();
  co_return page;
}

asio::awaitable<Status> RoutesDb::load_destinations(std::vector<Route>& routes) {
  if (routes.empty()) co_return Status{};
  std::vector<std::string> guids;
  for (const auto& r : routes) guids.push_back(r.guid);
  Sql sql;
  sql.any_of("route_guid", guids);
  std::string text =
      "SELECT guid, route_guid, app_guid, process_type, port, weight, protocol FROM "
      "route_destinations" +
      sql.where_clause() + " ORDER BY created_at, guid";
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  for (auto row : *rows) {
    Reader r{row, {}};
    Destination d;
    d.guid = r.text(0);
    std::string route = r.text(1);
    d.app_guid = r.text(2);
    d.process_type = r.text(3);
    d.port = r.int64(4);
    if (auto w = row.optional_int64(5); w && *w) d.weight = **w;
    d.protocol = r.text(6);
    if (r.error) co_return *r.error;
    for (auto& x : routes) {
      if (x.guid == route) x.destinations.push_back(d);
    }
  }
  co_return Status{};
}

asio::awaitable<Result<std::optional<Route>>> RoutesDb::route(Viewer viewer, std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_routes(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<Route>> RoutesDb::create_route(Route r) {
  auto rows = co_await pool_.query(
      "WITH inserted AS (INSERT INTO routes (guid, host, path, domain_guid, space_guid) VALUES "
      "($1, $2, $3, $4, $5) RETURNING *) SELECT r.guid, r.host, r.path, r.domain_guid, d.name, "
      "r.space_guid, " +
          ts("r.created_at") + ", " + ts("r.updated_at") +
          " FROM inserted r JOIN domains d ON d.guid = r.domain_guid",
      r.guid, r.host, r.path, r.domain_guid, r.space_guid);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) co_return route_taken(r);
    co_return std::move(rows).error();
  }
  auto page = read_page<Route>(*rows, -1, read_route);
  if (!page) co_return std::move(page).error();
  if (page->resources.empty()) co_return make_error(Errc::NotFound, "Domain not found");
  co_return std::move(page->resources.front());
}

asio::awaitable<Status> RoutesDb::delete_route(std::string guid) {
  auto rows = co_await pool_.query("DELETE FROM routes WHERE guid = $1", guid);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<std::int64_t>> RoutesDb::delete_unmapped_routes(std::string space_guid) {
  auto rows = co_await pool_.query(
      "DELETE FROM routes r WHERE r.space_guid = $1 AND NOT EXISTS (SELECT 1 FROM "
      "route_destinations d WHERE d.route_guid = r.guid) RETURNING r.guid",
      space_guid);
  if (!rows) co_return std::move(rows).error();
  std::int64_t n = 0;
  for (auto row : *rows) {
    (void)row;
    ++n;
  }
  co_return n;
}

asio::awaitable<Result<bool>> RoutesDb::route_exists(std::string domain_guid, std::string host,
                                                     std::string path) {
  auto rows = co_await pool_.query(
      "SELECT count(*) FROM routes WHERE domain_guid = $1 AND lower(host) = lower($2) AND path "
      "= $3",
      domain_guid, host, path);
  if (!rows) co_return std::move(rows).error();
  std::int64_t n = 0;
  for (auto row : *rows) n = row.int64(0).value_or(0);
  co_return n > 0;
}

asio::awaitable<Result<std::vector<std::string>>> RoutesDb::set_destinations(
    std::string route_guid, std::vector<Destination> destinations, bool replace) {
  auto change = [route_guid, destinations,
                 replace](pg::Connection& c) -> asio::awaitable<Result<std::vector<std::string>>> {
    std::vector<std::string> apps;
    auto before = co_await c.query(
        "SELECT DISTINCT app_guid FROM route_destinations WHERE route_guid = $1", route_guid);
    if (!before) co_return std::move(before).error();
    for (auto row : *before) {
      if (auto a = row.text(0)) apps.push_back(*a);
    }
    if (replace) {
      auto gone =
          co_await c.query("DELETE FROM route_destinations WHERE route_guid = $1", route_guid);
      if (!gone) co_return std::move(gone).error();
    }
    for (const auto& d : destinations) {
      auto added = co_await c.query(
          "INSERT INTO route_destinations (guid, route_guid, app_guid, process_type, port, "
          "weight, protocol) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
          d.guid, route_guid, d.app_guid, d.process_type, d.port, d.weight, d.protocol);
      if (!added) co_return std::move(added).error();
      apps.push_back(d.app_guid);
    }
    co_return apps;
  };
  co_return co_await pg::transaction(pool_, std::move(change));
}

asio::awaitable<Result<std::string>> RoutesDb::remove_destination(std::string route_guid,
                                                                  std::string destination_guid) {
  auto rows = co_await pool_.query(
      "DELETE FROM route_destinations WHERE route_guid = $1 AND guid = $2 RETURNING app_guid",
      route_guid, destination_guid);
  if (!rows) co_return std::move(rows).error();
  for (auto row : *rows) co_return row.text(0);
  co_return make_error(Errc::NotFound, "Destination not found");
}

asio::awaitable<Result<std::int64_t>> RoutesDb::unmap_app(std::string app_guid) {
  auto rows = co_await pool_.query(
      "DELETE FROM route_destinations WHERE app_guid = $1 RETURNING guid", app_guid);
  if (!rows) co_return std::move(rows).error();
  std::int64_t n = 0;
  for (auto row : *rows) {
    (void)row;
    ++n;
  }
  co_return n;
}

asio::awaitable<Result<std::map<std::string, std::vector<std::string>>>> RoutesDb::process_urls(
    std::vector<std::string> app_guids) {
  Sql sql;
  if (!app_guids.empty()) sql.any_of("dst.app_guid", app_guids);
  std::string text =
      "SELECT dst.app_guid, dst.process_type, r.host, d.name, r.path FROM route_destinations dst "
      "JOIN routes r ON r.guid = dst.route_guid JOIN domains d ON d.guid = r.domain_guid" +
      sql.where_clause() + " ORDER BY r.created_at, r.guid";
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  std::map<std::string, std::vector<std::string>> out;
  for (auto row : *rows) {
    Reader r{row, {}};
    std::string key = r.text(0) + "/" + r.text(1);
    Route x;
    x.host = r.text(2);
    x.domain_name = r.text(3);
    x.path = r.text(4);
    if (r.error) co_return *r.error;
    auto& urls = out[key];
    if (std::find(urls.begin(), urls.end(), x.url()) == urls.end()) urls.push_back(x.url());
  }
  co_return out;
}

}  // namespace cupola::cc
