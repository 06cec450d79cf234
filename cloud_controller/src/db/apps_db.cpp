#include "cloud_controller/src/db/apps_db.h"

#include "cloud_controller/src/db/app_rows.h"
#include "common/pg/error.h"
#include "common/pg/transaction.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

using namespace sql;

const std::string& kAppRow = kAppColumns;
const std::string& kProcessRow = kProcessColumns;

App read_app(Reader& r) { return read_app_at(r, 0); }
Process read_process(Reader& r) { return read_process_at(r, 0); }

Error name_taken(const std::string& name) {
  return conflict("App with the name '" + name + "' already exists.");
}

}  // namespace

asio::awaitable<Result<Page<App>>> AppsDb::list_apps(Viewer viewer, ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("names")) sql.any_of("a.name", *v, true);
  if (auto* v = q.filter("guids")) sql.any_of("a.guid", *v);
  if (auto* v = q.filter("space_guids")) sql.any_of("a.space_guid", *v);
  if (auto* v = q.filter("organization_guids")) sql.any_of("s.organization_guid", *v);
  if (!viewer.sees_everything()) {
    sql.where.push_back("a.space_guid IN " + visible_spaces(sql, viewer.user_guid));
  }
  std::string order = q.order_by == "name" ? "a.name" : "a." + q.order_by;
  std::string text = "SELECT " + kAppRow +
                     ", count(*) OVER () FROM apps a JOIN spaces s ON s.guid = a.space_guid" +
                     sql.where_clause() + " ORDER BY " + order + (q.descending ? " DESC" : "") +
                     ", a.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<App>(*rows, kAppColumnCount, read_app);
}

asio::awaitable<Result<std::optional<App>>> AppsDb::app(Viewer viewer, std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_apps(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<App>> AppsDb::create_app(App app, std::string web_process_guid) {
  auto create = [app, web_process_guid](pg::Connection& c) -> asio::awaitable<Result<App>> {
    auto rows = co_await c.query(
        "INSERT INTO apps AS a (guid, name, space_guid, lifecycle, environment_variables) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING " +
            kAppRow,
        app.guid, app.name, app.space_guid, app.lifecycle_json, app.environment_json);
    if (!rows) {
      if (pg::is_unique_violation(rows.error())) co_return name_taken(app.name);
      co_return std::move(rows).error();
    }
    auto page = read_page<App>(*rows, -1, read_app);
    if (!page) co_return std::move(page).error();
    auto web =
        co_await c.query("INSERT INTO processes (guid, app_guid, type) VALUES ($1, $2, 'web')",
                         web_process_guid, app.guid);
    if (!web) co_return std::move(web).error();
    co_return std::move(page->resources.front());
  };
  co_return co_await pg::transaction(pool_, std::move(create));
}

asio::awaitable<Result<App>> AppsDb::update_app(App app) {
  auto rows = co_await pool_.query(
      "UPDATE apps AS a SET name = $2, lifecycle = $3, environment_variables = $4, updated_at = "
      "now() WHERE guid = $1 RETURNING " +
          kAppRow,
      app.guid, app.name, app.lifecycle_json, app.environment_json);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) co_return name_taken(app.name);
    co_return std::move(rows).error();
  }
  auto page = read_page<App>(*rows, -1, read_app);
  if (!page) co_return std::move(page).error();
  if (page->resources.empty()) co_return make_error(Errc::NotFound, "App not found");
  co_return std::move(page->resources.front());
}

asio::awaitable<Status> AppsDb::delete_app(std::string guid) {
  auto rows = co_await pool_.query("DELETE FROM apps WHERE guid = $1", guid);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<Page<Process>>> AppsDb::list_processes(Viewer viewer, ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("p.guid", *v);
  if (auto* v = q.filter("types")) sql.any_of("p.type", *v);
  if (auto* v = q.filter("app_guids")) sql.any_of("p.app_guid", *v);
  if (auto* v = q.filter("space_guids")) sql.any_of("a.space_guid", *v);
  if (!viewer.sees_everything()) {
    sql.where.push_back("a.space_guid IN " + visible_spaces(sql, viewer.user_guid));
  }
  std::string text = "SELECT " + kProcessRow +
                     ", count(*) OVER () FROM processes p JOIN apps a ON a.guid = p.app_guid" +
                     sql.where_clause() + " ORDER BY p." + q.order_by +
                     (q.descending ? " DESC" : "") + ", p.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<Process>(*rows, kProcessColumnCount, read_process);
}

asio::awaitable<Result<std::optional<Process>>> AppsDb::process(Viewer viewer, std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_processes(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<Process>> AppsDb::update_process(Process p) {
  auto rows = co_await pool_.query(
      "UPDATE processes AS p SET instances = $2, memory_in_mb = $3, disk_in_mb = $4, version = "
      "$5, command = $6, health_check_type = $7, health_check_timeout = $8, "
      "health_check_endpoint = $9, log_rate_limit = $10, updated_at = now() WHERE guid = $1 "
      "RETURNING " +
          kProcessRow,
      p.guid, p.instances, p.memory_in_mb, p.disk_in_mb, p.version, p.command, p.health_check_type,
      p.health_check_timeout, p.health_check_endpoint, p.log_rate_limit);
  if (!rows) co_return std::move(rows).error();
  auto page = read_page<Process>(*rows, -1, read_process);
  if (!page) co_return std::move(page).error();
  if (page->resources.empty()) co_return make_error(Errc::NotFound, "Process not found");
  co_return std::move(page->resources.front());
}

asio::awaitable<Result<Process>> AppsDb::create_process(Process p) {
  auto rows = co_await pool_.query(
      "INSERT INTO processes AS p (guid, app_guid, type, version) VALUES ($1, $2, $3, (SELECT "
      "CASE WHEN state = 'STARTED' THEN gen_random_uuid()::text ELSE '' END FROM apps WHERE "
      "guid = $2)) RETURNING " +
          kProcessRow,
      p.guid, p.app_guid, p.type);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) {
      co_return conflict("Process with type '" + p.type + "' already exists.");
    }
    co_return std::move(rows).error();
  }
  auto page = read_page<Process>(*rows, -1, read_process);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources.front());
}

asio::awaitable<Result<App>> AppsDb::set_state(std::string guid, std::string state) {
  auto change = [guid, state](pg::Connection& c) -> asio::awaitable<Result<App>> {
    auto rows = co_await c.query(
        "UPDATE apps AS a SET state = $2, updated_at = now() WHERE guid = $1 RETURNING " + kAppRow,
        guid, state);
    if (!rows) co_return std::move(rows).error();
    auto page = read_page<App>(*rows, -1, read_app);
    if (!page) co_return std::move(page).error();
    if (page->resources.empty()) co_return make_error(Errc::NotFound, "App not found");
    if (state == "STARTED") {
      auto versions = co_await c.query(
          "UPDATE processes SET version = gen_random_uuid()::text, updated_at = now() "
          "WHERE app_guid = $1",
          guid);
      if (!versions) co_return std::move(versions).error();
    }
    co_return std::move(page->resources.front());
  };
  co_return co_await pg::transaction(pool_, std::move(change));
}

asio::awaitable<Result<App>> AppsDb::set_droplet(std::string guid,
                                                 std::optional<std::string> droplet_guid) {
  auto rows = co_await pool_.query(
      "UPDATE apps AS a SET droplet_guid = $2, updated_at = now() WHERE guid = $1 RETURNING " +
          kAppRow,
      guid, droplet_guid);
  if (!rows) co_return std::move(rows).error();
  auto page = read_page<App>(*rows, -1, read_app);
  if (!page) co_return std::move(page).error();
  if (page->resources.empty()) co_return make_error(Errc::NotFound, "App not found");
  co_return std::move(page->resources.front());
}

}  // namespace cupola::cc
