#include "cloud_controller/src/db/services_db.h"

#include "cloud_controller/src/db/sql_support.h"
#include "common/pg/error.h"
#include "common/pg/transaction.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

using namespace sql;

const std::string kInstanceRow =
    "i.guid, i.name, i.type, i.space_guid, i.credentials, i.syslog_drain_url, "
    "i.route_service_url, i.tags, " +
    ts("i.created_at") + ", " + ts("i.updated_at");
constexpr int kInstanceColumns = 10;
const std::string kBindingRow =
    "b.guid, b.name, b.type, b.app_guid, b.service_instance_guid, b.credentials, "
    "b.syslog_drain_url, " +
    ts("b.created_at") + ", " + ts("b.updated_at");
constexpr int kBindingColumns = 9;

std::optional<std::string> opt(Reader& r, int c) {
  auto v = r.row.optional_text(c);
  if (!v) {
    if (!r.error) r.error = v.error();
    return std::nullopt;
  }
  return *v;
}

ServiceInstance read_instance(Reader& r, int at) {
  ServiceInstance i;
  i.guid = r.text(at);
  i.name = r.text(at + 1);
  i.type = r.text(at + 2);
  i.space_guid = r.text(at + 3);
  i.credentials_sealed = r.text(at + 4);
  i.syslog_drain_url = opt(r, at + 5);
  i.route_service_url = opt(r, at + 6);
  i.tags_json = r.text(at + 7);
  i.created_at = r.text(at + 8);
  i.updated_at = r.text(at + 9);
  return i;
}
ServiceInstance read_first_instance(Reader& r) { return read_instance(r, 0); }

ServiceBinding read_binding(Reader& r, int at) {
  ServiceBinding b;
  b.guid = r.text(at);
  b.name = opt(r, at + 1);
  b.type = r.text(at + 2);
  b.app_guid = r.text(at + 3);
  b.service_instance_guid = r.text(at + 4);
  b.credentials_sealed = r.text(at + 5);
  b.syslog_drain_url = opt(r, at + 6);
  b.created_at = r.text(at + 7);
  b.updated_at = r.text(at + 8);
  return b;
}
ServiceBinding read_first_binding(Reader& r) { return read_binding(r, 0); }

Error name_taken(const std::string& name) {
  return conflict("The service instance name is taken: " + name + ".");
}

}  // namespace

asio::awaitable<Result<Page<ServiceInstance>>> ServicesDb::list_instances(Viewer viewer,
                                                                          ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("i.guid", *v);
  if (auto* v = q.filter("names")) sql.any_of("i.name", *v);
  if (auto* v = q.filter("space_guids")) sql.any_of("i.space_guid", *v);
  if (auto* v = q.filter("organization_guids")) sql.any_of("s.organization_guid", *v);
  if (auto* v = q.filter("type")) sql.any_of("i.type", *v);
  if (!viewer.sees_everything()) {
    sql.where.push_back("i.space_guid IN " + visible_spaces(sql, viewer.user_guid));
  }
  std::string order = q.order_by == "name" ? "i.name" : "i." + q.order_by;
  std::string text = "SELECT " + kInstanceRow +
                     ", count(*) OVER () FROM service_instances i JOIN spaces s ON s.guid = "
                     "i.space_guid" +
                     sql.where_clause() + " ORDER BY " + order + (q.descending ? " DESC" : "") +
                     ", i.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<ServiceInstance>(*rows, kInstanceColumns, read_first_instance);
}

asio::awaitable<Result<std::optional<ServiceInstance>>> ServicesDb::instance(Viewer viewer,
                                                                             std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_instances(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<ServiceInstance>> ServicesDb::create_instance(ServiceInstance i) {
  auto rows = co_await pool_.query(
      "INSERT INTO service_instances AS i (guid, name, type, space_guid, credentials, "
      "syslog_drain_url, route_service_url, tags) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
      "RETURNING " +
          kInstanceRow,
      i.guid, i.name, i.type, i.space_guid, i.credentials_sealed, i.syslog_drain_url,
      i.route_service_url, i.tags_json);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) co_return name_taken(i.name);
    co_return std::move(rows).error();
  }
  auto page = read_page<ServiceInstance>(*rows, -1, read_first_instance);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources.front());
}

asio::awaitable<Result<ServiceInstance>> ServicesDb::update_instance(ServiceInstance i) {
  auto rows = co_await pool_.query(
      "UPDATE service_instances AS i SET name = $2, credentials = $3, syslog_drain_url = $4, "
      "route_service_url = $5, tags = $6, updated_at = now() WHERE guid = $1 RETURNING " +
          kInstanceRow,
      i.guid, i.name, i.credentials_sealed, i.syslog_drain_url, i.route_service_url, i.tags_json);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) co_return name_taken(i.name);
    co_return std::move(rows).error();
  }
  auto page = read_page<ServiceInstance>(*rows, -1, read_first_instance);
  if (!page) co_return std::move(page).error();
  if (page->resources.empty()) co_return make_error(Errc::NotFound, "Service instance not found");
  co_return std::move(page->resources.front());
}

asio::awaitable<Result<std::vector<std::string>>> ServicesDb::delete_instance(std::string guid) {
  auto gone = [guid](pg::Connection& c) -> asio::awaitable<Result<std::vector<std::string>>> {
    auto bound = co_await c.query(
        "DELETE FROM service_bindings WHERE service_instance_guid = $1 RETURNING app_guid", guid);
    if (!bound) co_return std::move(bound).error();
    std::vector<std::string> apps;
    for (auto row : *bound) {
      if (auto a = row.text(0)) apps.push_back(*a);
    }
    auto rows = co_await c.query("DELETE FROM service_instances WHERE guid = $1", guid);
    if (!rows) co_return std::move(rows).error();
    co_return apps;
  };
  co_return co_await pg::transaction(pool_, std::move(gone));
}

asio::awaitable<Result<Page<ServiceBinding>>> ServicesDb::list_bindings(Viewer viewer,
                                                                        ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("b.guid", *v);
  if (auto* v = q.filter("names")) sql.any_of("b.name", *v);
  if (auto* v = q.filter("app_guids")) sql.any_of("b.app_guid", *v);
  if (auto* v = q.filter("service_instance_guids")) sql.any_of("b.service_instance_guid", *v);
  if (auto* v = q.filter("type")) sql.any_of("b.type", *v);
  if (!viewer.sees_everything()) {
    sql.where.push_back("i.space_guid IN " + visible_spaces(sql, viewer.user_guid));
  }
  std::string text = "SELECT " + kBindingRow +
                     ", count(*) OVER () FROM service_bindings b JOIN service_instances i ON "
                     "i.guid = b.service_instance_guid" +
                     sql.where_clause() + " ORDER BY b." + q.order_by +
                     (q.descending ? " DESC" : "") + ", b.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<ServiceBinding>(*rows, kBindingColumns, read_first_binding);
}

asio::awaitable<Result<std::optional<ServiceBinding>>> ServicesDb::binding(Viewer viewer,
                                                                           std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_bindings(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<ServiceBinding>> ServicesDb::create_binding(ServiceBinding b) {
  auto rows = co_await pool_.query(
      "INSERT INTO service_bindings AS b (guid, name, type, app_guid, service_instance_guid, "
      "credentials, syslog_drain_url) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " +
          kBindingRow,
      b.guid, b.name, b.type, b.app_guid, b.service_instance_guid, b.credentials_sealed,
      b.syslog_drain_url);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) {
      co_return conflict("The app is already bound to the service instance.");
    }
    co_return std::move(rows).error();
  }
  auto page = read_page<ServiceBinding>(*rows, -1, read_first_binding);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources.front());
}

asio::awaitable<Status> ServicesDb::delete_binding(std::string guid) {
  auto rows = co_await pool_.query("DELETE FROM service_bindings WHERE guid = $1", guid);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<std::map<std::string, std::vector<BoundService>>>>
ServicesDb::bound_services(std::vector<std::string> app_guids) {
  std::map<std::string, std::vector<BoundService>> out;
  if (app_guids.empty()) co_return out;
  Sql sql;
  sql.any_of("b.app_guid", app_guids);
  std::string text = "SELECT " + kBindingRow + ", " + kInstanceRow +
                     " FROM service_bindings b JOIN service_instances i ON i.guid = "
                     "b.service_instance_guid" +
                     sql.where_clause() + " ORDER BY b.created_at, b.guid";
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  for (auto row : *rows) {
    Reader r{row, {}};
    BoundService s{read_binding(r, 0), read_instance(r, kBindingColumns)};
    if (r.error) co_return *r.error;
    out[s.binding.app_guid].push_back(std::move(s));
  }
  co_return out;
}

}  // namespace cupola::cc
