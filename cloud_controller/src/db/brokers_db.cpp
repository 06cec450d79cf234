#include "cloud_controller/src/db/brokers_db.h"

#include <set>

#include "cloud_controller/src/db/sql_support.h"
#include "common/pg/error.h"
#include "common/pg/transaction.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

using namespace sql;

const std::string kBrokerRow = "b.guid, b.name, b.url, b.username, b.password, b.space_guid, " +
                               ts("b.created_at") + ", " + ts("b.updated_at");
const std::string kOfferingRow =
    "o.guid, o.broker_guid, b.name, o.broker_id, o.name, o.description, o.available, o.tags, "
    "o.requires, o.metadata, o.bindable, o.plan_updateable, o.instances_retrievable, "
    "o.bindings_retrievable, o.allow_context_updates, o.shareable, " +
    ts("o.created_at") + ", " + ts("o.updated_at");
const std::string kPlanRow =
    "p.guid, p.offering_guid, o.name, o.broker_guid, b.name, p.broker_id, p.name, p.description, "
    "p.free, coalesce(p.bindable, o.bindable), coalesce(p.plan_updateable, o.plan_updateable), "
    "p.available, CASE WHEN b.space_guid IS NOT NULL THEN 'space' WHEN p.public THEN 'public' "
    "WHEN EXISTS (SELECT 1 FROM service_plan_visibilities v WHERE v.plan_guid = p.guid) THEN "
    "'organization' ELSE 'admin' END, b.space_guid, coalesce(p.maximum_polling_duration, -1), "
    "p.metadata, p.costs, p.schemas, " +
    ts("p.created_at") + ", " + ts("p.updated_at");
const char* kPlanFrom =
    " FROM service_plans p JOIN service_offerings o ON o.guid = p.offering_guid JOIN "
    "service_brokers b ON b.guid = o.broker_guid";

std::optional<std::string> optional_text(Reader& r, int c) {
  auto v = r.row.optional_text(c);
  if (!v) {
    if (!r.error) r.error = v.error();
    return std::nullopt;
  }
  return *v;
}

ServiceBroker read_broker(Reader& r) {
  ServiceBroker b;
  b.guid = r.text(0);
  b.name = r.text(1);
  b.url = r.text(2);
  b.username = r.text(3);
  b.password_sealed = r.text(4);
  b.space_guid = optional_text(r, 5);
  b.created_at = r.text(6);
  b.updated_at = r.text(7);
  return b;
}

ServiceOffering read_offering(Reader& r) {
  ServiceOffering o;
  o.guid = r.text(0);
  o.broker_guid = r.text(1);
  o.broker_name = r.text(2);
  o.broker_id = r.text(3);
  o.name = r.text(4);
  o.description = r.text(5);
  o.available = r.boolean(6);
  o.tags_json = r.text(7);
  o.requires_json = r.text(8);
  o.metadata_json = r.text(9);
  o.bindable = r.boolean(10);
  o.plan_updateable = r.boolean(11);
  o.instances_retrievable = r.boolean(12);
  o.bindings_retrievable = r.boolean(13);
  o.allow_context_updates = r.boolean(14);
  o.shareable = r.boolean(15);
  o.created_at = r.text(16);
  o.updated_at = r.text(17);
  return o;
}

ServicePlan read_plan(Reader& r) {
  ServicePlan p;
  p.guid = r.text(0);
  p.offering_guid = r.text(1);
  p.offering_name = r.text(2);
  p.broker_guid = r.text(3);
  p.broker_name = r.text(4);
  p.broker_id = r.text(5);
  p.name = r.text(6);
  p.description = r.text(7);
  p.free = r.boolean(8);
  p.bindable = r.boolean(9);
  p.plan_updateable = r.boolean(10);
  p.available = r.boolean(11);
  p.visibility_type = r.text(12);
  p.space_guid = optional_text(r, 13);
  auto polling = r.int64(14);
  if (polling >= 0) p.maximum_polling_duration = static_cast<int>(polling);
  p.metadata_json = r.text(15);
  p.costs_json = r.text(16);
  p.schemas_json = r.text(17);
  p.created_at = r.text(18);
  p.updated_at = r.text(19);
  return p;
}

// The plans a viewer who is not an admin may see: public ones, those made visible to one of
// their orgs, and those of space-scoped brokers in their spaces.
std::string plan_visible(Sql& sql, const Viewer& viewer) {
  return "(p.public OR b.space_guid IN " + visible_spaces(sql, viewer.user_guid) +
         " OR p.guid IN (SELECT plan_guid FROM service_plan_visibilities WHERE "
         "organization_guid IN " +
         visible_orgs(sql, viewer.user_guid) + "))";
}

// Applies a catalog to a broker: upserts by catalog id, removes what is no longer listed.
asio::awaitable<Status> apply_catalog(pg::Connection& c, std::string broker_guid,
                                      services::Catalog catalog, GuidGenerator* guids) {
  std::set<std::string> kept_offerings;
  for (const auto& s : catalog.services) {
    auto rows = co_await c.query(
        "INSERT INTO service_offerings (guid, broker_guid, broker_id, name, description, tags, "
        "requires, metadata, bindable, plan_updateable, instances_retrievable, "
        "bindings_retrievable, allow_context_updates, shareable) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (broker_guid, broker_id) DO UPDATE SET "
        "name = $4, description = $5, tags = $6, requires = $7, metadata = $8, bindable = $9, "
        "plan_updateable = $10, instances_retrievable = $11, bindings_retrievable = $12, "
        "allow_context_updates = $13, shareable = $14, available = true, updated_at = now() "
        "RETURNING guid",
        guids->next(), broker_guid, s.id, s.name, s.description, s.tags_json, s.requires_json,
        s.metadata_json, s.bindable, s.plan_updateable, s.instances_retrievable,
        s.bindings_retrievable, s.allow_context_updates, s.shareable);
    if (!rows) co_return std::move(rows).error();
    std::string offering;
    for (auto row : *rows) offering = row.text(0).value_or("");
    kept_offerings.insert(offering);
    std::set<std::string> kept_plans;
    for (const auto& p : s.plans) {
      std::optional<bool> bindable, updateable;
      if (p.bindable >= 0) bindable = p.bindable == 1;
      if (p.plan_updateable >= 0) updateable = p.plan_updateable == 1;
      std::optional<std::int64_t> polling;
      if (p.maximum_polling_duration > 0) polling = p.maximum_polling_duration;
      auto plan = co_await c.query(
          "INSERT INTO service_plans (guid, offering_guid, broker_id, name, description, free, "
          "bindable, plan_updateable, maximum_polling_duration, metadata, costs, schemas) VALUES "
          "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (offering_guid, "
          "broker_id) DO UPDATE SET name = $4, description = $5, free = $6, bindable = $7, "
          "plan_updateable = $8, maximum_polling_duration = $9, metadata = $10, costs = $11, "
          "schemas = $12, available = true, updated_at = now() RETURNING guid",
          guids->next(), offering, p.id, p.name, p.description, p.free, bindable, updateable,
          polling, p.metadata_json, p.costs_json, p.schemas_json);
      if (!plan) co_return std::move(plan).error();
      for (auto row : *plan) kept_plans.insert(row.text(0).value_or(""));
    }
    json::Writer keep;
    keep.start_array();
    for (const auto& g : kept_plans) keep.value(g);
    keep.end_array();
    // A plan that instances still use stays, unavailable, as in Cloud Foundry.
    auto gone = co_await c.query(
        "DELETE FROM service_plans p WHERE offering_guid = $1 AND guid NOT IN (SELECT v FROM "
        "json_array_elements_text($2::json) AS v) AND NOT EXISTS (SELECT 1 FROM "
        "service_instances i WHERE i.plan_guid = p.guid)",
        offering, std::string(keep.view()));
    if (!gone) co_return std::move(gone).error();
    auto retired = co_await c.query(
        "UPDATE service_plans SET available = false, updated_at = now() WHERE offering_guid = $1 "
        "AND guid NOT IN (SELECT v FROM json_array_elements_text($2::json) AS v)",
        offering, std::string(keep.view()));
    if (!retired) co_return std::move(retired).error();
  }
  json::Writer keep;
  keep.start_array();
  for (const auto& g : kept_offerings) keep.value(g);
  keep.end_array();
  auto gone = co_await c.query(
      "DELETE FROM service_offerings o WHERE broker_guid = $1 AND guid NOT IN (SELECT v FROM "
      "json_array_elements_text($2::json) AS v) AND NOT EXISTS (SELECT 1 FROM service_plans p "
      "JOIN service_instances i ON i.plan_guid = p.guid WHERE p.offering_guid = o.guid)",
      broker_guid, std::string(keep.view()));
  if (!gone) co_return std::move(gone).error();
  auto retired = co_await c.query(
      "UPDATE service_offerings SET available = false, updated_at = now() WHERE broker_guid = $1 "
      "AND guid NOT IN (SELECT v FROM json_array_elements_text($2::json) AS v)",
      broker_guid, std::string(keep.view()));
  if (!retired) co_return std::move(retired).error();
  auto unplanned = co_await c.query(
      "UPDATE service_plans p SET available = false, updated_at = now() FROM service_offerings o "
      "WHERE o.guid = p.offering_guid AND o.broker_guid = $1 AND NOT o.available",
      broker_guid);
  if (!unplanned) co_return std::move(unplanned).error();
  co_return Status{};
}

}  // namespace

asio::awaitable<Result<Page<ServiceBroker>>> BrokersDb::list_brokers(Viewer viewer, ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("b.guid", *v);
  if (auto* v = q.filter("names")) sql.any_of("b.name", *v);
  if (auto* v = q.filter("space_guids")) sql.any_of("b.space_guid", *v);
  if (!viewer.sees_everything()) {
    sql.where.push_back("b.space_guid IN " + visible_spaces(sql, viewer.user_guid));
  }
  static const std::set<std::string> kOrders{"created_at", "updated_at", "name"};
  if (!kOrders.contains(q.order_by)) q.order_by = "created_at";
  std::string text = "SELECT " + kBrokerRow + ", count(*) OVER () FROM service_brokers b" +
                     sql.where_clause() + " ORDER BY b." + q.order_by +
                     (q.descending ? " DESC" : "") + ", b.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<ServiceBroker>(*rows, 8, read_broker);
}

asio::awaitable<Result<std::optional<ServiceBroker>>> BrokersDb::broker(Viewer viewer,
                                                                        std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_brokers(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<ServiceBroker>> BrokersDb::create_broker(ServiceBroker b,
                                                                services::Catalog catalog) {
  GuidGenerator* guids = guids_;
  auto insert = [b, catalog, guids](pg::Connection& c) -> asio::awaitable<Result<ServiceBroker>> {
    auto rows = co_await c.query(
        "INSERT INTO service_brokers AS b (guid, name, url, username, password, space_guid) VALUES "
        "($1, $2, $3, $4, $5, $6) RETURNING " +
            kBrokerRow,
        b.guid, b.name, b.url, b.username, b.password_sealed, b.space_guid);
    if (!rows) {
      if (pg::is_unique_violation(rows.error())) co_return conflict("Name must be unique");
      co_return std::move(rows).error();
    }
    auto page = read_page<ServiceBroker>(*rows, -1, read_broker);
    if (!page) co_return std::move(page).error();
    if (auto applied = co_await apply_catalog(c, b.guid, catalog, guids); !applied) {
      co_return std::move(applied).error();
    }
    co_return std::move(page->resources.front());
  };
  co_return co_await pg::transaction(pool_, std::move(insert));
}

asio::awaitable<Result<ServiceBroker>> BrokersDb::update_broker(
    ServiceBroker b, std::optional<services::Catalog> catalog) {
  GuidGenerator* guids = guids_;
  auto update = [b, catalog, guids](pg::Connection& c) -> asio::awaitable<Result<ServiceBroker>> {
    auto rows = co_await c.query(
        "UPDATE service_brokers b SET name = $2, url = $3, username = $4, password = $5, "
        "updated_at = now() WHERE guid = $1 RETURNING " +
            kBrokerRow,
        b.guid, b.name, b.url, b.username, b.password_sealed);
    if (!rows) {
      if (pg::is_unique_violation(rows.error())) co_return conflict("Name must be unique");
      co_return std::move(rows).error();
    }
    auto page = read_page<ServiceBroker>(*rows, -1, read_broker);
    if (!page) co_return std::move(page).error();
    if (page->resources.empty()) co_return make_error(Errc::NotFound, "Service broker not found");
    if (catalog) {
      if (auto applied = co_await apply_catalog(c, b.guid, *catalog, guids); !applied) {
        co_return std::move(applied).error();
      }
    }
    co_return std::move(page->resources.front());
  };
  co_return co_await pg::transaction(pool_, std::move(update));
}

asio::awaitable<Status> BrokersDb::delete_broker(std::string guid) {
  auto used = co_await pool_.query(
      "SELECT i.name FROM service_instances i JOIN service_plans p ON p.guid = i.plan_guid JOIN "
      "service_offerings o ON o.guid = p.offering_guid WHERE o.broker_guid = $1 ORDER BY i.name",
      guid);
  if (!used) co_return std::move(used).error();
  if (used->size() > 0) {
    std::string names;
    for (auto row : *used) names += (names.empty() ? "" : ", ") + row.text(0).value_or("");
    co_return conflict("Can not remove brokers that have associated service instances: " + names);
  }
  auto rows =
      co_await pool_.query("DELETE FROM service_brokers WHERE guid = $1 RETURNING guid", guid);
  if (!rows) co_return std::move(rows).error();
  if (rows->size() == 0) co_return make_error(Errc::NotFound, "Service broker not found");
  co_return Status{};
}

asio::awaitable<Result<Page<ServiceOffering>>> BrokersDb::list_offerings(Viewer viewer,
                                                                         ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("o.guid", *v);
  if (auto* v = q.filter("names")) sql.any_of("o.name", *v);
  if (auto* v = q.filter("service_broker_guids")) sql.any_of("o.broker_guid", *v);
  if (auto* v = q.filter("service_broker_names")) sql.any_of("b.name", *v);
  if (auto* v = q.filter("available")) {
    sql.where.push_back("o.available = " + sql.param(!v->empty() && v->front() == "true"));
  }
  if (!viewer.sees_everything()) {
    sql.where.push_back(
        "EXISTS (SELECT 1 FROM service_plans p WHERE p.offering_guid = o.guid "
        "AND " +
        plan_visible(sql, viewer) + ")");
  }
  static const std::set<std::string> kOrders{"created_at", "updated_at", "name"};
  if (!kOrders.contains(q.order_by)) q.order_by = "created_at";
  std::string text = "SELECT " + kOfferingRow +
                     ", count(*) OVER () FROM service_offerings o JOIN service_brokers b ON "
                     "b.guid = o.broker_guid" +
                     sql.where_clause() + " ORDER BY o." + q.order_by +
                     (q.descending ? " DESC" : "") + ", o.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<ServiceOffering>(*rows, 18, read_offering);
}

asio::awaitable<Result<std::optional<ServiceOffering>>> BrokersDb::offering(Viewer viewer,
                                                                            std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_offerings(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<Page<ServicePlan>>> BrokersDb::list_plans(Viewer viewer, ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("p.guid", *v);
  if (auto* v = q.filter("names")) sql.any_of("p.name", *v);
  if (auto* v = q.filter("service_offering_guids")) sql.any_of("p.offering_guid", *v);
  if (auto* v = q.filter("service_offering_names")) sql.any_of("o.name", *v);
  if (auto* v = q.filter("service_broker_guids")) sql.any_of("o.broker_guid", *v);
  if (auto* v = q.filter("service_broker_names")) sql.any_of("b.name", *v);
  if (auto* v = q.filter("broker_catalog_ids")) sql.any_of("p.broker_id", *v);
  if (auto* v = q.filter("available")) {
    sql.where.push_back("p.available = " + sql.param(!v->empty() && v->front() == "true"));
  }
  if (!viewer.sees_everything()) sql.where.push_back(plan_visible(sql, viewer));
  static const std::set<std::string> kOrders{"created_at", "updated_at", "name"};
  if (!kOrders.contains(q.order_by)) q.order_by = "created_at";
  std::string text = "SELECT " + kPlanRow + ", count(*) OVER ()" + kPlanFrom + sql.where_clause() +
                     " ORDER BY p." + q.order_by + (q.descending ? " DESC" : "") + ", p.guid" +
                     paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<ServicePlan>(*rows, 20, read_plan);
}

asio::awaitable<Result<std::optional<ServicePlan>>> BrokersDb::plan(Viewer viewer,
                                                                    std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_plans(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<std::optional<ServicePlan>>> BrokersDb::plan_in_space(
    std::string plan_guid, std::string space_guid) {
  Sql sql;
  sql.any_of("p.guid", std::vector<std::string>{plan_guid});
  std::string space = sql.param(space_guid);
  sql.where.push_back("(p.public OR b.space_guid = " + space +
                      " OR p.guid IN (SELECT v.plan_guid FROM service_plan_visibilities v JOIN "
                      "spaces s ON s.organization_guid = v.organization_guid WHERE s.guid = " +
                      space + "))");
  std::string text = "SELECT " + kPlanRow + ", count(*) OVER ()" + kPlanFrom + sql.where_clause();
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return first_of(read_page<ServicePlan>(*rows, 20, read_plan));
}

asio::awaitable<Result<PlanVisibility>> BrokersDb::visibility(std::string plan_guid) {
  Viewer admin;
  admin.admin = true;
  auto plan = co_await this->plan(admin, plan_guid);
  if (!plan) co_return std::move(plan).error();
  if (!*plan) co_return make_error(Errc::NotFound, "Service plan not found");
  PlanVisibility v;
  v.type = (*plan)->visibility_type;
  auto rows = co_await pool_.query(
      "SELECT o.guid, o.name FROM service_plan_visibilities v JOIN organizations o ON o.guid = "
      "v.organization_guid WHERE v.plan_guid = $1 ORDER BY o.name",
      plan_guid);
  if (!rows) co_return std::move(rows).error();
  for (auto row : *rows)
    v.organizations.emplace_back(row.text(0).value_or(""), row.text(1).value_or(""));
  co_return v;
}

asio::awaitable<Status> BrokersDb::remove_visibility(std::string plan_guid, std::string org_guid) {
  auto rows = co_await pool_.query(
      "DELETE FROM service_plan_visibilities WHERE plan_guid = $1 AND organization_guid = $2 "
      "RETURNING plan_guid",
      plan_guid, org_guid);
  if (!rows) co_return std::move(rows).error();
  if (rows->size() == 0) co_return make_error(Errc::NotFound, "Service plan visibility not found");
  co_return Status{};
}

asio::awaitable<Status> BrokersDb::set_visibility(std::string plan_guid, std::string type,
                                                  std::vector<std::string> org_guids, bool append) {
  auto change = [=](pg::Connection& c) -> asio::awaitable<Status> {
    auto plan = co_await c.query(
        "UPDATE service_plans SET public = $2, updated_at = now() WHERE "
        "guid = $1 RETURNING guid",
        plan_guid, type == "public");
    if (!plan) co_return std::move(plan).error();
    if (plan->size() == 0) co_return make_error(Errc::NotFound, "Service plan not found");
    if (type != "organization" || !append) {
      auto cleared =
          co_await c.query("DELETE FROM service_plan_visibilities WHERE plan_guid = $1", plan_guid);
      if (!cleared) co_return std::move(cleared).error();
    }
    for (const auto& org : org_guids) {
      auto added = co_await c.query(
          "INSERT INTO service_plan_visibilities (plan_guid, organization_guid) VALUES ($1, $2) "
          "ON CONFLICT DO NOTHING",
          plan_guid, org);
      if (!added) co_return std::move(added).error();
    }
    co_return Status{};
  };
  co_return co_await pg::transaction(pool_, std::move(change));
}

}  // namespace cupola::cc
