#include "cloud_controller/src/db/tenancy_db.h"

#include "cloud_controller/src/db/sql_support.h"
#include "common/pg/error.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

using namespace sql;

const std::string kOrgRow = "guid, name, suspended, " + ts("created_at") + ", " + ts("updated_at") +
                            ", coalesce(quota_guid, (SELECT q.guid FROM organization_quotas q "
                            "WHERE q.name = 'default'), '')";
const std::string kSpaceRow = "guid, name, organization_guid, " + ts("created_at") + ", " +
                              ts("updated_at") + ", coalesce(quota_guid, '')";
const std::string kRoleRow =
    "guid, type, user_guid, coalesce(organization_guid, ''), coalesce(space_guid, ''), " +
    ts("created_at") + ", " + ts("updated_at");
const std::string kOrgColumns = kOrgRow + ", count(*) OVER ()";
const std::string kSpaceColumns = kSpaceRow + ", count(*) OVER ()";
const std::string kRoleColumns = kRoleRow + ", count(*) OVER ()";
const std::string kJobColumns = "guid, operation, state, errors, warnings, user_guid, " +
                                ts("created_at") + ", " + ts("updated_at");

Organization read_org(Reader& r) {
  return {r.text(0), r.text(1), r.boolean(2), r.text(3), r.text(4), r.text(5)};
}
Space read_space(Reader& r) {
  return {r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)};
}
Role read_role(Reader& r) {
  return {r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6)};
}
Job read_job(Reader& r) {
  return {r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7)};
}

}  // namespace

asio::awaitable<Result<Page<Organization>>> TenancyDb::list_organizations(Viewer viewer,
                                                                          ListQuery q) {
  Sql sql;
  if (auto* names = q.filter("names")) sql.any_of("name", *names, true);
  if (auto* guids = q.filter("guids")) sql.any_of("guid", *guids);
  if (!viewer.sees_everything())
    sql.where.push_back("guid IN " + visible_orgs(sql, viewer.user_guid));
  std::string text = "SELECT " + kOrgColumns + " FROM organizations" + sql.where_clause() +
                     order_clause(q, "name") + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<Organization>(*rows, 6, read_org);
}

asio::awaitable<Result<std::optional<Organization>>> TenancyDb::organization(Viewer viewer,
                                                                             std::string guid) {
  ListQuery q;
  q.filters["guids"] = {std::move(guid)};
  co_return first_of(co_await list_organizations(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<Organization>> TenancyDb::create_organization(std::string guid,
                                                                     std::string name) {
  auto rows = co_await pool_.query(
      "INSERT INTO organizations (guid, name) VALUES ($1, $2) RETURNING " + kOrgRow, guid, name);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) {
      co_return conflict("Organization '" + name + "' already exists.");
    }
    co_return std::move(rows).error();
  }
  auto page = read_page<Organization>(*rows, -1, read_org);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources.front());
}

asio::awaitable<Status> TenancyDb::delete_organization(std::string guid) {
  auto rows = co_await pool_.query("DELETE FROM organizations WHERE guid = $1", guid);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<Page<Space>>> TenancyDb::list_spaces(Viewer viewer, ListQuery q) {
  Sql sql;
  if (auto* names = q.filter("names")) sql.any_of("name", *names, true);
  if (auto* guids = q.filter("guids")) sql.any_of("guid", *guids);
  if (auto* orgs = q.filter("organization_guids")) sql.any_of("organization_guid", *orgs);
  if (!viewer.sees_everything()) {
    sql.where.push_back("guid IN " + visible_spaces(sql, viewer.user_guid));
  }
  std::string text = "SELECT " + kSpaceColumns + " FROM spaces" + sql.where_clause() +
                     order_clause(q, "name") + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<Space>(*rows, 6, read_space);
}

asio::awaitable<Result<std::optional<Space>>> TenancyDb::space(Viewer viewer, std::string guid) {
  ListQuery q;
  q.filters["guids"] = {std::move(guid)};
  co_return first_of(co_await list_spaces(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<Space>> TenancyDb::create_space(std::string guid, std::string name,
                                                       std::string organization_guid) {
  auto rows = co_await pool_.query(
      "INSERT INTO spaces (guid, name, organization_guid) VALUES "
      "($1, $2, $3) RETURNING " +
          kSpaceRow,
      guid, name, organization_guid);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) {
      co_return conflict("Name must be unique per organization");
    }
    co_return std::move(rows).error();
  }
  auto page = read_page<Space>(*rows, -1, read_space);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources.front());
}

asio::awaitable<Status> TenancyDb::delete_space(std::string guid) {
  auto rows = co_await pool_.query("DELETE FROM spaces WHERE guid = $1", guid);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<std::vector<std::string>>> TenancyDb::org_roles_of(std::string user_guid,
                                                                          std::string org_guid) {
  auto rows = co_await pool_.query(
      "SELECT type FROM roles WHERE user_guid = $1 AND organization_guid = $2 ORDER BY type",
      user_guid, org_guid);
  if (!rows) co_return std::move(rows).error();
  std::vector<std::string> out;
  for (auto row : *rows) out.push_back(row.text(0).value_or(""));
  co_return out;
}

asio::awaitable<Result<std::vector<std::string>>> TenancyDb::space_roles_of(
    std::string user_guid, std::string space_guid) {
  auto rows = co_await pool_.query(
      "SELECT type FROM roles WHERE user_guid = $1 AND space_guid = $2 ORDER BY type", user_guid,
      space_guid);
  if (!rows) co_return std::move(rows).error();
  std::vector<std::string> out;
  for (auto row : *rows) out.push_back(row.text(0).value_or(""));
  co_return out;
}

asio::awaitable<Result<Page<Role>>> TenancyDb::list_roles(Viewer viewer, ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("guid", *v);
  if (auto* v = q.filter("types")) sql.any_of("type", *v);
  if (auto* v = q.filter("user_guids")) sql.any_of("user_guid", *v);
  if (auto* v = q.filter("organization_guids")) sql.any_of("organization_guid", *v);
  if (auto* v = q.filter("space_guids")) sql.any_of("space_guid", *v);
  if (!viewer.sees_everything()) {
    std::string orgs = visible_orgs(sql, viewer.user_guid);
    std::string spaces = visible_spaces(sql, viewer.user_guid);
    sql.where.push_back("(organization_guid IN " + orgs + " OR space_guid IN " + spaces + ")");
  }
  std::string text = "SELECT " + kRoleColumns + " FROM roles" + sql.where_clause() +
                     order_clause(q, "type") + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<Role>(*rows, 7, read_role);
}

asio::awaitable<Result<std::optional<Role>>> TenancyDb::role(Viewer viewer, std::string guid) {
  ListQuery q;
  q.filters["guids"] = {std::move(guid)};
  co_return first_of(co_await list_roles(std::move(viewer), std::move(q)));
}

asio::awaitable<Status> TenancyDb::ensure_user(std::string user_guid) {
  auto rows = co_await pool_.query(
      "INSERT INTO cc_users (guid) VALUES ($1) ON CONFLICT (guid) DO NOTHING", user_guid);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Status> TenancyDb::delete_user(std::string user_guid) {
  auto rows = co_await pool_.query("DELETE FROM cc_users WHERE guid = $1", user_guid);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<std::vector<std::string>>> TenancyDb::known_users(
    std::vector<std::string> guids) {
  Sql sql;
  sql.any_of("guid", guids);
  auto rows =
      co_await pool_.query_params("SELECT guid FROM cc_users" + sql.where_clause(), sql.params);
  if (!rows) co_return std::move(rows).error();
  std::vector<std::string> known;
  for (auto row : *rows) known.push_back(row.text(0).value_or(""));
  std::vector<std::string> out;
  for (const auto& g : guids) {
    if (std::find(known.begin(), known.end(), g) != known.end()) out.push_back(g);
  }
  co_return out;
}

asio::awaitable<Result<Role>> TenancyDb::create_role(Role role) {
  if (auto st = co_await ensure_user(role.user_guid); !st) co_return st.error();
  std::optional<std::string> org;
  std::optional<std::string> space;
  if (!role.organization_guid.empty()) org = role.organization_guid;
  if (!role.space_guid.empty()) space = role.space_guid;
  auto rows = co_await pool_.query(
      "INSERT INTO roles (guid, type, user_guid, organization_guid, space_guid) VALUES ($1, $2, "
      "$3, $4, $5) RETURNING " +
          kRoleRow,
      role.guid, role.type, role.user_guid, org, space);
  if (!rows) {
    if (pg::is_unique_violation(rows.error())) co_return conflict("role exists");
    co_return std::move(rows).error();
  }
  auto page = read_page<Role>(*rows, -1, read_role);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources.front());
}

asio::awaitable<Status> TenancyDb::delete_role(std::string guid) {
  auto rows = co_await pool_.query("DELETE FROM roles WHERE guid = $1", guid);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<Job>> TenancyDb::create_job(Job job) {
  auto rows = co_await pool_.query(
      "INSERT INTO jobs (guid, operation, state, errors, warnings, user_guid) VALUES ($1, $2, $3, "
      "$4, $5, $6) RETURNING " +
          kJobColumns,
      job.guid, job.operation, job.state, job.errors_json, job.warnings_json, job.user_guid);
  if (!rows) co_return std::move(rows).error();
  Reader r{(*rows)[0], {}};
  Job out = read_job(r);
  if (r.error) co_return *r.error;
  co_return out;
}

asio::awaitable<Status> TenancyDb::finish_job(std::string guid, std::string state,
                                              std::string errors_json) {
  auto rows = co_await pool_.query(
      "UPDATE jobs SET state = $2, errors = $3, updated_at = now() WHERE guid = $1", guid, state,
      errors_json);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Result<std::optional<Job>>> TenancyDb::job(std::string guid) {
  auto rows = co_await pool_.query("SELECT " + kJobColumns + " FROM jobs WHERE guid = $1", guid);
  if (!rows) co_return std::move(rows).error();
  if (rows->empty()) co_return std::optional<Job>();
  Reader r{(*rows)[0], {}};
  Job out = read_job(r);
  if (r.error) co_return *r.error;
  co_return std::optional<Job>(std::move(out));
}

}  // namespace cupola::cc
