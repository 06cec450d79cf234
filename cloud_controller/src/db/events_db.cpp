#include "cloud_controller/src/db/events_db.h"

#include "cloud_controller/src/db/sql_support.h"
#include "common/pg/transaction.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

using namespace sql;

const std::string kAuditRow =
    "e.guid, e.type, e.actor_guid, e.actor_type, e.actor_name, e.target_guid, e.target_type, "
    "e.target_name, e.data, e.space_guid, e.organization_guid, " +
    ts("e.created_at");

AuditEvent read_audit(Reader& r) {
  AuditEvent e;
  e.guid = r.text(0);
  e.type = r.text(1);
  e.actor_guid = r.text(2);
  e.actor_type = r.text(3);
  e.actor_name = r.text(4);
  e.target_guid = r.text(5);
  e.target_type = r.text(6);
  e.target_name = r.text(7);
  e.data_json = r.text(8);
  e.space_guid = r.text(9);
  e.organization_guid = r.text(10);
  e.created_at = r.text(11);
  return e;
}

const std::string kUsageRow =
    "u.guid, u.state, u.previous_state, u.app_guid, u.app_name, u.process_guid, "
    "u.process_type, u.instance_count, u.previous_instance_count, u.memory_in_mb_per_instance, "
    "u.previous_memory_in_mb_per_instance, u.space_guid, u.space_name, u.organization_guid, "
    "u.buildpack_guid, u.buildpack_name, " +
    ts("u.created_at");

UsageEvent read_usage(Reader& r) {
  UsageEvent u;
  u.guid = r.text(0);
  u.state = r.text(1);
  u.previous_state = r.text(2);
  u.app_guid = r.text(3);
  u.app_name = r.text(4);
  u.process_guid = r.text(5);
  u.process_type = r.text(6);
  u.instance_count = r.int64(7);
  u.previous_instance_count = r.int64(8);
  u.memory_in_mb_per_instance = r.int64(9);
  u.previous_memory_in_mb_per_instance = r.int64(10);
  u.space_guid = r.text(11);
  u.space_name = r.text(12);
  u.organization_guid = r.text(13);
  u.buildpack_guid = r.text(14);
  u.buildpack_name = r.text(15);
  u.created_at = r.text(16);
  return u;
}

}  // namespace

asio::awaitable<Status> EventsDb::record(AuditEvent e) {
  // The organization comes from the space when only the space is known.
  auto rows = co_await pool_.query(
      "INSERT INTO audit_events (guid, type, actor_guid, actor_type, actor_name, target_guid, "
      "target_type, target_name, data, space_guid, organization_guid) VALUES ($1, $2, $3, $4, "
      "$5, $6, $7, $8, $9, $10, CASE WHEN $11 = '' THEN coalesce((SELECT organization_guid FROM "
      "spaces WHERE guid = $10), '') ELSE $11 END)",
      e.guid, e.type, e.actor_guid, e.actor_type, e.actor_name, e.target_guid, e.target_type,
      e.target_name, e.data_json, e.space_guid, e.organization_guid);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<Page<AuditEvent>>> EventsDb::list(Viewer viewer, ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("e.guid", *v);
  if (auto* v = q.filter("types")) sql.any_of("e.type", *v);
  if (auto* v = q.filter("target_guids")) sql.any_of("e.target_guid", *v);
  if (auto* v = q.filter("space_guids")) sql.any_of("e.space_guid", *v);
  if (auto* v = q.filter("organization_guids")) sql.any_of("e.organization_guid", *v);
  if (!viewer.sees_everything()) {
    std::string spaces = event_reading_spaces(sql, viewer.user_guid);
    std::string u = sql.param(viewer.user_guid);
    sql.where.push_back(
        "(e.space_guid IN " + spaces +
        " OR (e.space_guid = '' AND e.organization_guid IN (SELECT organization_guid FROM roles "
        "WHERE user_guid = " +
        u + " AND type = 'organization_auditor')) OR e.actor_guid = " + u + ")");
  }
  std::string text = "SELECT " + kAuditRow + ", count(*) OVER () FROM audit_events e" +
                     sql.where_clause() + " ORDER BY e." + q.order_by +
                     (q.descending ? " DESC" : "") + ", e.seq" + (q.descending ? " DESC" : "") +
                     paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<AuditEvent>(*rows, 12, read_audit);
}

asio::awaitable<Status> EventsDb::record_usage(std::vector<UsageEvent> events) {
  for (const auto& u : events) {
    auto rows = co_await pool_.query(
        "INSERT INTO app_usage_events (guid, state, previous_state, app_guid, app_name, "
        "process_guid, process_type, instance_count, previous_instance_count, "
        "memory_in_mb_per_instance, previous_memory_in_mb_per_instance, space_guid, space_name, "
        "organization_guid, buildpack_guid, buildpack_name) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8, $9, $10, $11, $12, $13, $14, $15, $16)",
        u.guid, u.state, u.previous_state, u.app_guid, u.app_name, u.process_guid, u.process_type,
        u.instance_count, u.previous_instance_count, u.memory_in_mb_per_instance,
        u.previous_memory_in_mb_per_instance, u.space_guid, u.space_name, u.organization_guid,
        u.buildpack_guid, u.buildpack_name);
    if (!rows) co_return std::move(rows).error();
  }
  co_return Status{};
}

asio::awaitable<Result<Page<UsageEvent>>> EventsDb::list_usage(ListQuery q,
                                                               std::optional<std::string> after) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("u.guid", *v);
  if (after) {
    sql.where.push_back("u.seq > coalesce((SELECT a.seq FROM app_usage_events a WHERE a.guid = " +
                        sql.param(*after) + "), 0)");
  }
  std::string text = "SELECT " + kUsageRow + ", count(*) OVER () FROM app_usage_events u" +
                     sql.where_clause() + " ORDER BY u.seq" + (q.descending ? " DESC" : "") +
                     paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<UsageEvent>(*rows, 17, read_usage);
}

asio::awaitable<Status> EventsDb::purge_and_reseed_usage() {
  auto reseed = [](pg::Connection& c) -> asio::awaitable<Status> {
    auto gone = co_await c.query("DELETE FROM app_usage_events");
    if (!gone) co_return std::move(gone).error();
    auto made = co_await c.query(
        "INSERT INTO app_usage_events (guid, state, previous_state, app_guid, app_name, "
        "process_guid, process_type, instance_count, previous_instance_count, "
        "memory_in_mb_per_instance, previous_memory_in_mb_per_instance, space_guid, space_name, "
        "organization_guid, buildpack_guid, buildpack_name) SELECT gen_random_uuid()::text, "
        "'STARTED', 'STARTED', a.guid, a.name, p.guid, p.type, p.instances, p.instances, "
        "p.memory_in_mb, p.memory_in_mb, s.guid, s.name, s.organization_guid, '', '' FROM "
        "processes p JOIN apps a ON a.guid = p.app_guid JOIN spaces s ON s.guid = a.space_guid "
        "WHERE a.state = 'STARTED' ORDER BY a.created_at, p.created_at");
    if (!made) co_return std::move(made).error();
    co_return Status{};
  };
  co_return co_await pg::transaction(pool_, std::move(reseed));
}

}  // namespace cupola::cc
