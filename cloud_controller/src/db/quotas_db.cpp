#include "cloud_controller/src/db/quotas_db.h"

#include "cloud_controller/src/db/sql_support.h"
#include "common/pg/error.h"
#include "common/pg/transaction.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

using namespace sql;

const char* table_of(const std::string& kind) {
  return kind == "organization" ? "organization_quotas" : "space_quotas";
}

const std::string kLimitColumns =
    "total_memory_in_mb, per_process_memory_in_mb, total_instances, per_app_tasks, "
    "log_rate_limit, paid_services_allowed, total_service_instances, total_service_keys, "
    "total_routes, total_reserved_ports, total_domains";

// The quota columns, then what it applies to (comma-separated guids).
std::string quota_row(const std::string& kind) {
  std::string applied =
      kind == "organization"
          ? "(SELECT string_agg(o.guid, ',' ORDER BY o.guid) FROM organizations o WHERE "
            "coalesce(o.quota_guid, (SELECT d.guid FROM organization_quotas d WHERE d.name = "
            "'default')) = q.guid)"
          : "(SELECT string_agg(s.guid, ',' ORDER BY s.guid) FROM spaces s WHERE s.quota_guid = "
            "q.guid)";
  return "q.guid, q.name, q.total_memory_in_mb, q.per_process_memory_in_mb, q.total_instances, "
         "q.per_app_tasks, q.log_rate_limit, q.paid_services_allowed, "
         "q.total_service_instances, q.total_service_keys, q.total_routes, "
         "q.total_reserved_ports, q.total_domains, " +
         std::string(kind == "organization" ? "NULL" : "q.organization_guid") + ", " +
         ts("q.created_at") + ", " + ts("q.updated_at") + ", coalesce(" + applied + ", '')";
}
constexpr int kQuotaColumns = 17;

std::optional<std::int64_t> opt_int(Reader& r, int c) {
  auto v = r.row.optional_int64(c);
  if (!v) {
    if (!r.error) r.error = v.error();
    return std::nullopt;
  }
  return *v;
}

QuotaLimits read_limits(Reader& r, int at) {
  QuotaLimits l;
  l.total_memory_in_mb = opt_int(r, at);
  l.per_process_memory_in_mb = opt_int(r, at + 1);
  l.total_instances = opt_int(r, at + 2);
  l.per_app_tasks = opt_int(r, at + 3);
  l.log_rate_limit_in_bytes_per_second = opt_int(r, at + 4);
  l.paid_services_allowed = r.boolean(at + 5);
  l.total_service_instances = opt_int(r, at + 6);
  l.total_service_keys = opt_int(r, at + 7);
  l.total_routes = opt_int(r, at + 8);
  l.total_reserved_ports = opt_int(r, at + 9);
  l.total_domains = opt_int(r, at + 10);
  return l;
}

Quota read_quota(Reader& r) {
  Quota q;
  q.guid = r.text(0);
  q.name = r.text(1);
  q.limits = read_limits(r, 2);
  if (auto o = r.row.optional_text(13); o && *o) q.organization_guid = **o;
  q.created_at = r.text(14);
  q.updated_at = r.text(15);
  std::string applied = r.text(16);
  for (std::size_t at = 0; at < applied.size();) {
    auto comma = applied.find(',', at);
    if (comma == std::string::npos) comma = applied.size();
    q.applied_to.push_back(applied.substr(at, comma - at));
    at = comma + 1;
  }
  return q;
}

pg::Params limit_params(const QuotaLimits& l) {
  return {l.total_memory_in_mb,
          l.per_process_memory_in_mb,
          l.total_instances,
          l.per_app_tasks,
          l.log_rate_limit_in_bytes_per_second,
          l.paid_services_allowed,
          l.total_service_instances,
          l.total_service_keys,
          l.total_routes,
          l.total_reserved_ports,
          l.total_domains};
}

Error name_taken(const std::string& kind, const std::string& name) {
  return conflict(std::string(kind == "organization" ? "Organization" : "Space") + " Quota '" +
                  name + "' already exists.");
}

}  // namespace

asio::awaitable<Result<Page<Quota>>> QuotasDb::list(std::string kind, Viewer viewer, ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("q.guid", *v);
  if (auto* v = q.filter("names")) sql.any_of("q.name", *v, true);
  if (kind == "space") {
    if (auto* v = q.filter("organization_guids")) sql.any_of("q.organization_guid", *v);
    if (auto* v = q.filter("space_guids")) {
      sql.any_of("sq.guid", *v);
      std::string cond = sql.where.back();
      sql.where.back() = "q.guid IN (SELECT sq.quota_guid FROM spaces sq WHERE " + cond + ")";
    }
  }
  if (!viewer.sees_everything()) {
    std::string orgs = visible_orgs(sql, viewer.user_guid);
    if (kind == "organization") {
      sql.where.push_back(
          "q.guid IN (SELECT coalesce(o.quota_guid, (SELECT d.guid FROM organization_quotas d "
          "WHERE d.name = 'default')) FROM organizations o WHERE o.guid IN " +
          orgs + ")");
    } else {
      sql.where.push_back("q.organization_guid IN " + orgs);
    }
  }
  std::string order = q.order_by == "name" ? "q.name" : "q." + q.order_by;
  std::string text = "SELECT " + quota_row(kind) + ", count(*) OVER () FROM " + table_of(kind) +
                     " q" + sql.where_clause() + " ORDER BY " + order +
                     (q.descending ? " DESC" : "") + ", q.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<Quota>(*rows, kQuotaColumns, read_quota);
}

asio::awaitable<Result<std::optional<Quota>>> QuotasDb::get(std::string kind, Viewer viewer,
                                                            std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list(std::move(kind), std::move(viewer), std::move(q)));
}

asio::awaitable<Result<Quota>> QuotasDb::create(std::string kind, Quota q) {
  pg::Params params{q.guid, q.name};
  for (auto& p : limit_params(q.limits)) params.push_back(std::move(p));
  std::string columns = "guid, name, " + kLimitColumns;
  std::string values = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13";
  if (kind == "space") {
    params.push_back(q.organization_guid);
    columns += ", organization_guid";
    values += ", $14";
  }
  std::string text =
      "INSERT INTO " + std::string(table_of(kind)) + " (" + columns + ") VALUES (" + values + ")";
  auto rows = co_await pool_.query_params(std::move(text), std::move(params));
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) co_return name_taken(kind, q.name);
    co_return std::move(rows).error();
  }
  Viewer all;
  all.admin = true;
  auto made = co_await get(kind, all, q.guid);
  if (!made) co_return std::move(made).error();
  if (!*made) co_return make_error(Errc::NotFound, "Quota not found");
  co_return std::move(**made);
}

asio::awaitable<Result<Quota>> QuotasDb::update(std::string kind, Quota q) {
  pg::Params params = limit_params(q.limits);
  params.insert(params.begin(), {q.guid, q.name});
  std::string text = "UPDATE " + std::string(table_of(kind)) +
                     " SET name = $2, total_memory_in_mb = $3, per_process_memory_in_mb = $4, "
                     "total_instances = $5, per_app_tasks = $6, log_rate_limit = $7, "
                     "paid_services_allowed = $8, total_service_instances = $9, "
                     "total_service_keys = $10, total_routes = $11, total_reserved_ports = $12, "
                     "total_domains = $13, updated_at = now() WHERE guid = $1 RETURNING guid";
  auto rows = co_await pool_.query_params(std::move(text), std::move(params));
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) co_return name_taken(kind, q.name);
    co_return std::move(rows).error();
  }
  Viewer all;
  all.admin = true;
  auto saved = co_await get(kind, all, q.guid);
  if (!saved) co_return std::move(saved).error();
  if (!*saved) co_return make_error(Errc::NotFound, "Quota not found");
  co_return std::move(**saved);
}

asio::awaitable<Status> QuotasDb::remove(std::string kind, std::string guid) {
  std::string text = "DELETE FROM " + std::string(table_of(kind)) + " WHERE guid = $1" +
                     (kind == "organization" ? " AND name <> 'default'" : "") + " RETURNING guid";
  auto rows = co_await pool_.query(std::move(text), guid);
  if (!rows) co_return std::move(rows).error();
  for (auto row : *rows) {
    (void)row;
    co_return Status{};
  }
  co_return conflict("The default organization quota cannot be deleted.");
}

asio::awaitable<Status> QuotasDb::apply(std::string kind, std::string guid,
                                        std::vector<std::string> targets) {
  Sql sql;
  std::string quota = sql.param(guid);
  sql.any_of("guid", targets);
  std::string text = std::string("UPDATE ") +
                     (kind == "organization" ? "organizations" : "spaces") +
                     " SET quota_guid = " + quota + ", updated_at = now()" + sql.where_clause();
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Status> QuotasDb::unapply_space(std::string guid, std::string space_guid) {
  auto rows = co_await pool_.query(
      "UPDATE spaces SET quota_guid = NULL, updated_at = now() WHERE guid = $2 AND quota_guid = "
      "$1 RETURNING guid",
      guid, space_guid);
  if (!rows) co_return std::move(rows).error();
  for (auto row : *rows) {
    (void)row;
    co_return Status{};
  }
  co_return make_error(Errc::NotFound, "Space not found");
}

asio::awaitable<Result<QuotaUsage>> QuotasDb::usage(std::string space_guid,
                                                    std::string except_process) {
  auto rows = co_await pool_.query(
      "SELECT o.name, s.name, coalesce(o.quota_guid, (SELECT d.guid FROM organization_quotas d "
      "WHERE d.name = 'default')), s.quota_guid, "
      "(SELECT coalesce(sum(p.instances * p.memory_in_mb), 0) FROM processes p JOIN apps a ON "
      "a.guid = p.app_guid JOIN spaces x ON x.guid = a.space_guid WHERE x.organization_guid = "
      "o.guid AND a.state = 'STARTED' AND p.guid <> $2), "
      "(SELECT coalesce(sum(p.instances), 0) FROM processes p JOIN apps a ON a.guid = p.app_guid "
      "JOIN spaces x ON x.guid = a.space_guid WHERE x.organization_guid = o.guid AND a.state = "
      "'STARTED' AND p.guid <> $2), "
      "(SELECT count(*) FROM routes r JOIN spaces x ON x.guid = r.space_guid WHERE "
      "x.organization_guid = o.guid), "
      "(SELECT coalesce(sum(p.instances * p.memory_in_mb), 0) FROM processes p JOIN apps a ON "
      "a.guid = p.app_guid WHERE a.space_guid = s.guid AND a.state = 'STARTED' AND p.guid <> $2), "
      "(SELECT coalesce(sum(p.instances), 0) FROM processes p JOIN apps a ON a.guid = p.app_guid "
      "WHERE a.space_guid = s.guid AND a.state = 'STARTED' AND p.guid <> $2), "
      "(SELECT count(*) FROM routes r WHERE r.space_guid = s.guid), "
      "(SELECT coalesce(sum(p.instances * p.log_rate_limit), 0) FROM processes p JOIN apps a ON "
      "a.guid = p.app_guid JOIN spaces x ON x.guid = a.space_guid WHERE x.organization_guid = "
      "o.guid AND a.state = 'STARTED' AND p.log_rate_limit > 0 AND p.guid <> $2), "
      "(SELECT coalesce(sum(p.instances * p.log_rate_limit), 0) FROM processes p JOIN apps a ON "
      "a.guid = p.app_guid WHERE a.space_guid = s.guid AND a.state = 'STARTED' AND "
      "p.log_rate_limit > 0 AND p.guid <> $2), "
      "(SELECT count(*) FROM service_instances i JOIN spaces x ON x.guid = i.space_guid WHERE "
      "x.organization_guid = o.guid AND i.type = 'managed'), "
      "(SELECT count(*) FROM service_instances i WHERE i.space_guid = s.guid AND i.type = "
      "'managed'), "
      "(SELECT count(*) FROM service_bindings b JOIN service_instances i ON i.guid = "
      "b.service_instance_guid JOIN spaces x ON x.guid = i.space_guid WHERE x.organization_guid = "
      "o.guid AND b.type = 'key'), "
      "(SELECT count(*) FROM service_bindings b JOIN service_instances i ON i.guid = "
      "b.service_instance_guid WHERE i.space_guid = s.guid AND b.type = 'key') "
      "FROM spaces s JOIN organizations o ON o.guid = s.organization_guid WHERE s.guid = $1",
      space_guid, except_process);
  if (!rows) co_return std::move(rows).error();
  QuotaUsage u;
  std::optional<std::string> org_quota, space_quota;
  bool found = false;
  for (auto row : *rows) {
    Reader r{row, {}};
    found = true;
    u.organization_name = r.text(0);
    u.space_name = r.text(1);
    if (auto q = row.optional_text(2); q && *q) org_quota = **q;
    if (auto q = row.optional_text(3); q && *q) space_quota = **q;
    u.org_memory_mb = r.int64(4);
    u.org_instances = r.int64(5);
    u.org_routes = r.int64(6);
    u.space_memory_mb = r.int64(7);
    u.space_instances = r.int64(8);
    u.space_routes = r.int64(9);
    u.org_log_rate = r.int64(10);
    u.space_log_rate = r.int64(11);
    u.org_service_instances = r.int64(12);
    u.space_service_instances = r.int64(13);
    u.org_service_keys = r.int64(14);
    u.space_service_keys = r.int64(15);
    if (r.error) co_return *r.error;
  }
  if (!found) co_return make_error(Errc::NotFound, "Space not found");
  Viewer all;
  all.admin = true;
  if (org_quota) {
    auto q = co_await get("organization", all, *org_quota);
    if (!q) co_return std::move(q).error();
    if (*q) u.org = (*q)->limits;
  }
  if (space_quota) {
    auto q = co_await get("space", all, *space_quota);
    if (!q) co_return std::move(q).error();
    if (*q) u.space = (*q)->limits;
  }
  co_return u;
}

}  // namespace cupola::cc
