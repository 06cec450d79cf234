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
    ts("i.created_at") + ", " + ts("i.updated_at") +
    ", i.plan_guid, i.dashboard_url, i.operation_type, i.operation_state, "
    "i.operation_description, " +
    ts("i.operation_created_at") + ", " + ts("i.operation_updated_at") +
    ", i.operation_plan_guid, i.broker_operation, i.job_guid, coalesce(ip.name, ''), "
    "coalesce(io.name, '')";
constexpr int kInstanceColumns = 22;
// The plan and offering names of managed instances (aliases ip, io).
const char* kInstancePlan =
    " LEFT JOIN service_plans ip ON ip.guid = i.plan_guid LEFT JOIN service_offerings io ON "
    "io.guid = ip.offering_guid";
const std::string kBindingRow =
    "b.guid, b.name, b.type, b.app_guid, b.service_instance_guid, b.credentials, "
    "b.syslog_drain_url, " +
    ts("b.created_at") + ", " + ts("b.updated_at") +
    ", b.operation_type, b.operation_state, b.operation_description, " +
    ts("b.operation_created_at") + ", " + ts("b.operation_updated_at") +
    ", b.broker_operation, b.job_guid";
constexpr int kBindingColumns = 16;

std::optional<std::string> opt(Reader& r, int c) {
  auto v = r.row.optional_text(c);
  if (!v) {
    if (!r.error) r.error = v.error();
    return std::nullopt;
  }
  return *v;
}

LastOperation read_operation(Reader& r, int at) {
  LastOperation op;
  op.type = r.text(at);
  op.state = r.text(at + 1);
  op.description = r.text(at + 2);
  op.created_at = r.text(at + 3);
  op.updated_at = r.text(at + 4);
  return op;
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
  i.plan_guid = opt(r, at + 10);
  i.dashboard_url = opt(r, at + 11);
  i.operation = read_operation(r, at + 12);
  i.operation_plan_guid = opt(r, at + 17);
  i.broker_operation = opt(r, at + 18);
  i.job_guid = opt(r, at + 19);
  i.plan_name = r.text(at + 20);
  i.offering_name = r.text(at + 21);
  return i;
}
ServiceInstance read_first_instance(Reader& r) { return read_instance(r, 0); }

ServiceBinding read_binding(Reader& r, int at) {
  ServiceBinding b;
  b.guid = r.text(at);
  b.name = opt(r, at + 1);
  b.type = r.text(at + 2);
  b.app_guid = opt(r, at + 3).value_or("");
  b.service_instance_guid = r.text(at + 4);
  b.credentials_sealed = r.text(at + 5);
  b.syslog_drain_url = opt(r, at + 6);
  b.created_at = r.text(at + 7);
  b.updated_at = r.text(at + 8);
  b.operation = read_operation(r, at + 9);
  b.broker_operation = opt(r, at + 14);
  b.job_guid = opt(r, at + 15);
  return b;
}
ServiceBinding read_first_binding(Reader& r) { return read_binding(r, 0); }

std::optional<std::string> unless_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

Error name_taken(const std::string& name) {
  return conflict("The service instance name is taken: " + name + ".");
}

// Errc::Conflict: what Cloud Foundry says when a second operation would start.
Error in_progress(const std::string& what) {
  return conflict("An operation for the " + what + " is in progress.");
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
  if (auto* v = q.filter("service_plan_guids")) sql.any_of("i.plan_guid", *v);
  if (auto* v = q.filter("service_plan_names")) sql.any_of("ip.name", *v);
  if (!viewer.sees_everything()) {
    sql.where.push_back("i.space_guid IN " + visible_spaces(sql, viewer.user_guid));
  }
  std::string order = q.order_by == "name" ? "i.name" : "i." + q.order_by;
  std::string text = "SELECT " + kInstanceRow +
                     ", count(*) OVER () FROM service_instances i JOIN spaces s ON s.guid = "
                     "i.space_guid" +
                     kInstancePlan + sql.where_clause() + " ORDER BY " + order +
                     (q.descending ? " DESC" : "") + ", i.guid" + paging(sql, q);
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
      "INSERT INTO service_instances (guid, name, type, space_guid, credentials, "
      "syslog_drain_url, route_service_url, tags, plan_guid, operation_type, operation_state, "
      "job_guid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      i.guid, i.name, i.type, i.space_guid, i.credentials_sealed, i.syslog_drain_url,
      i.route_service_url, i.tags_json, i.plan_guid, i.operation.type, i.operation.state,
      i.job_guid);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) co_return name_taken(i.name);
    co_return std::move(rows).error();
  }
  co_return co_await stored_instance(i.guid);
}

asio::awaitable<Result<ServiceInstance>> ServicesDb::update_instance(ServiceInstance i) {
  auto rows = co_await pool_.query(
      "UPDATE service_instances SET name = $2, credentials = $3, syslog_drain_url = $4, "
      "route_service_url = $5, tags = $6, updated_at = now() WHERE guid = $1 RETURNING guid",
      i.guid, i.name, i.credentials_sealed, i.syslog_drain_url, i.route_service_url, i.tags_json);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) co_return name_taken(i.name);
    co_return std::move(rows).error();
  }
  if (rows->size() == 0) co_return make_error(Errc::NotFound, "Service instance not found");
  co_return co_await stored_instance(i.guid);
}

asio::awaitable<Result<ServiceInstance>> ServicesDb::stored_instance(std::string guid) {
  Viewer all;
  all.admin = true;
  auto i = co_await instance(all, guid);
  if (!i) co_return std::move(i).error();
  if (!*i) co_return make_error(Errc::NotFound, "Service instance not found");
  co_return std::move(**i);
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
      "credentials, syslog_drain_url, operation_type, operation_state, job_guid) VALUES ($1, $2, "
      "$3, $4, $5, $6, $7, $8, $9, $10) RETURNING " +
          kBindingRow,
      b.guid, b.name, b.type, unless_empty(b.app_guid), b.service_instance_guid,
      b.credentials_sealed, b.syslog_drain_url, b.operation.type, b.operation.state, b.job_guid);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) {
      if (b.type == "key") {
        co_return conflict(
            "The binding name is invalid. Key binding names must be unique. The "
            "service instance already has a key binding with name '" +
            b.name.value_or("") + "'.");
      }
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
  sql.where.push_back(
      "b.type = 'app' AND NOT (b.operation_type = 'create' AND b.operation_state <> "
      "'succeeded')");
  std::string text = "SELECT " + kBindingRow + ", " + kInstanceRow +
                     " FROM service_bindings b JOIN service_instances i ON i.guid = "
                     "b.service_instance_guid" +
                     kInstancePlan + sql.where_clause() + " ORDER BY b.created_at, b.guid";
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

asio::awaitable<Status> ServicesDb::begin_instance_operation(std::string guid, std::string type,
                                                             std::string job_guid,
                                                             std::optional<std::string> new_plan) {
  auto rows = co_await pool_.query(
      "UPDATE service_instances SET operation_type = $2, operation_state = 'in progress', "
      "operation_description = '', operation_plan_guid = $4, broker_operation = NULL, job_guid = "
      "$3, operation_created_at = now(), operation_updated_at = now() WHERE guid = $1 AND "
      "operation_state <> 'in progress' RETURNING guid",
      guid, type, job_guid, new_plan);
  if (!rows) co_return std::move(rows).error();
  if (rows->size() == 0) co_return in_progress("service instance");
  co_return Status{};
}

asio::awaitable<Status> ServicesDb::accepted_instance_operation(std::string guid,
                                                                std::string broker_operation) {
  auto rows = co_await pool_.query(
      "UPDATE service_instances SET broker_operation = $2, operation_updated_at = now() WHERE "
      "guid = $1",
      guid, broker_operation);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Status> ServicesDb::end_instance_operation(
    std::string guid, OperationEnd end, std::optional<std::string> dashboard_url) {
  bool ok = end.state == "succeeded";
  auto rows = co_await pool_.query(
      "UPDATE service_instances SET operation_state = $2, operation_description = $3, "
      "plan_guid = CASE WHEN $4 THEN coalesce(operation_plan_guid, plan_guid) ELSE plan_guid "
      "END, dashboard_url = coalesce($5, dashboard_url), operation_plan_guid = NULL, "
      "broker_operation = NULL, operation_updated_at = now(), updated_at = now() WHERE guid = $1",
      guid, end.state, end.description, ok, dashboard_url);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Status> ServicesDb::begin_binding_operation(std::string guid, std::string type,
                                                            std::string job_guid) {
  auto rows = co_await pool_.query(
      "UPDATE service_bindings SET operation_type = $2, operation_state = 'in progress', "
      "operation_description = '', broker_operation = NULL, job_guid = $3, operation_created_at "
      "= now(), operation_updated_at = now() WHERE guid = $1 AND operation_state <> 'in "
      "progress' RETURNING guid",
      guid, type, job_guid);
  if (!rows) co_return std::move(rows).error();
  if (rows->size() == 0) co_return in_progress("service binding");
  co_return Status{};
}

asio::awaitable<Status> ServicesDb::accepted_binding_operation(std::string guid,
                                                               std::string broker_operation) {
  auto rows = co_await pool_.query(
      "UPDATE service_bindings SET broker_operation = $2, operation_updated_at = now() WHERE "
      "guid = $1",
      guid, broker_operation);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Status> ServicesDb::end_binding_operation(
    std::string guid, OperationEnd end, std::optional<std::string> credentials_sealed,
    std::optional<std::string> syslog_drain_url) {
  auto rows = co_await pool_.query(
      "UPDATE service_bindings SET operation_state = $2, operation_description = $3, "
      "credentials = coalesce($4, credentials), syslog_drain_url = coalesce($5, "
      "syslog_drain_url), broker_operation = NULL, operation_updated_at = now(), updated_at = "
      "now() WHERE guid = $1",
      guid, end.state, end.description, credentials_sealed, syslog_drain_url);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<std::vector<ServiceInstance>>> ServicesDb::instances_in_progress() {
  auto rows = co_await pool_.query("SELECT " + kInstanceRow + " FROM service_instances i" +
                                   kInstancePlan + " WHERE i.operation_state = 'in progress'");
  if (!rows) co_return std::move(rows).error();
  auto page = read_page<ServiceInstance>(*rows, -1, read_first_instance);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources);
}

asio::awaitable<Result<std::vector<ServiceBinding>>> ServicesDb::bindings_in_progress() {
  auto rows = co_await pool_.query("SELECT " + kBindingRow +
                                   " FROM service_bindings b WHERE b.operation_state = 'in "
                                   "progress'");
  if (!rows) co_return std::move(rows).error();
  auto page = read_page<ServiceBinding>(*rows, -1, read_first_binding);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources);
}

}  // namespace cupola::cc
