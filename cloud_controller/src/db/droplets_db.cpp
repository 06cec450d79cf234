#include "cloud_controller/src/db/droplets_db.h"

#include "cloud_controller/src/db/app_rows.h"
#include "common/pg/transaction.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

using namespace sql;

const std::string kPackageRow = "k.guid, k.app_guid, k.type, k.state, k.sha1, k.sha256, k.error, " +
                                ts("k.created_at") + ", " + ts("k.updated_at");
const std::string kDropletRow =
    "d.guid, d.app_guid, d.package_guid, d.state, d.error, d.process_types, "
    "d.execution_metadata, d.buildpacks, d.stack, d.sha1, d.sha256, " +
    ts("d.created_at") + ", " + ts("d.updated_at");
const std::string kBuildRow =
    "b.guid, b.app_guid, b.package_guid, b.droplet_guid, b.state, b.error, b.lifecycle, "
    "b.staging_memory_in_mb, b.staging_disk_in_mb, b.created_by_guid, b.created_by_name, " +
    ts("b.created_at") + ", " + ts("b.updated_at");

std::optional<std::string> opt(Reader& r, int c) {
  auto v = r.row.optional_text(c);
  if (!v) {
    if (!r.error) r.error = v.error();
    return std::nullopt;
  }
  return *v;
}

Package read_package(Reader& r) {
  Package p;
  p.guid = r.text(0);
  p.app_guid = r.text(1);
  p.type = r.text(2);
  p.state = r.text(3);
  p.sha1 = opt(r, 4);
  p.sha256 = opt(r, 5);
  p.error = opt(r, 6);
  p.created_at = r.text(7);
  p.updated_at = r.text(8);
  return p;
}

Droplet read_droplet(Reader& r, int at = 0) {
  Droplet d;
  d.guid = r.text(at + 0);
  d.app_guid = r.text(at + 1);
  d.package_guid = opt(r, at + 2);
  d.state = r.text(at + 3);
  d.error = opt(r, at + 4);
  d.process_types_json = r.text(at + 5);
  d.execution_metadata = r.text(at + 6);
  d.buildpacks_json = r.text(at + 7);
  d.stack = r.text(at + 8);
  d.sha1 = opt(r, at + 9);
  d.sha256 = opt(r, at + 10);
  d.created_at = r.text(at + 11);
  d.updated_at = r.text(at + 12);
  return d;
}
constexpr int kDropletColumns = 13;
Droplet read_first_droplet(Reader& r) { return read_droplet(r); }

Build read_build(Reader& r) {
  Build b;
  b.guid = r.text(0);
  b.app_guid = r.text(1);
  b.package_guid = r.text(2);
  b.droplet_guid = opt(r, 3);
  b.state = r.text(4);
  b.error = opt(r, 5);
  b.lifecycle_json = r.text(6);
  b.staging_memory_in_mb = r.int64(7);
  b.staging_disk_in_mb = r.int64(8);
  b.created_by_guid = r.text(9);
  b.created_by_name = r.text(10);
  b.created_at = r.text(11);
  b.updated_at = r.text(12);
  return b;
}

// The WHERE conditions the three lists share: by guid, app, state, space and visibility.
void common_filters(Sql& sql, const Viewer& viewer, const ListQuery& q, const std::string& t) {
  if (auto* v = q.filter("guids")) sql.any_of(t + ".guid", *v);
  if (auto* v = q.filter("app_guids")) sql.any_of(t + ".app_guid", *v);
  if (auto* v = q.filter("states")) sql.any_of(t + ".state", *v);
  if (auto* v = q.filter("space_guids")) sql.any_of("a.space_guid", *v);
  if (!viewer.sees_everything()) {
    sql.where.push_back("a.space_guid IN " + visible_spaces(sql, viewer.user_guid));
  }
}

template <class T, class Read>
asio::awaitable<Result<T>> single(pg::Pool& pool, std::string text, pg::Params params, Read read,
                                  const char* missing) {
  auto rows = co_await pool.query_params(std::move(text), std::move(params));
  if (!rows) co_return std::move(rows).error();
  auto page = read_page<T>(*rows, -1, read);
  if (!page) co_return std::move(page).error();
  if (page->resources.empty()) co_return make_error(Errc::NotFound, missing);
  co_return std::move(page->resources.front());
}

}  // namespace

asio::awaitable<Result<Page<Package>>> DropletsDb::list_packages(Viewer viewer, ListQuery q) {
  Sql sql;
  common_filters(sql, viewer, q, "k");
  if (auto* v = q.filter("types")) sql.any_of("k.type", *v);
  std::string text = "SELECT " + kPackageRow +
                     ", count(*) OVER () FROM packages k JOIN apps a ON a.guid = k.app_guid" +
                     sql.where_clause() + " ORDER BY k." + q.order_by +
                     (q.descending ? " DESC" : "") + ", k.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<Package>(*rows, 9, read_package);
}

asio::awaitable<Result<std::optional<Package>>> DropletsDb::package(Viewer viewer,
                                                                    std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_packages(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<Package>> DropletsDb::create_package(Package p) {
  pg::Params params{p.guid, p.app_guid, p.type, p.state};
  std::string text =
      "INSERT INTO packages AS k (guid, app_guid, type, state) VALUES ($1, $2, $3, $4) "
      "RETURNING " +
      kPackageRow;
  co_return co_await single<Package>(pool_, std::move(text), std::move(params), read_package,
                                     "App not found");
}

asio::awaitable<Result<Package>> DropletsDb::update_package(Package p) {
  pg::Params params{p.guid, p.state, p.sha1, p.sha256, p.error};
  std::string text =
      "UPDATE packages AS k SET state = $2, sha1 = $3, sha256 = $4, error = $5, updated_at = "
      "now() WHERE guid = $1 RETURNING " +
      kPackageRow;
  co_return co_await single<Package>(pool_, std::move(text), std::move(params), read_package,
                                     "Package not found");
}

asio::awaitable<Result<Page<Droplet>>> DropletsDb::list_droplets(Viewer viewer, ListQuery q) {
  Sql sql;
  common_filters(sql, viewer, q, "d");
  if (auto* v = q.filter("package_guids")) sql.any_of("d.package_guid", *v);
  std::string text = "SELECT " + kDropletRow +
                     ", count(*) OVER () FROM droplets d JOIN apps a ON a.guid = d.app_guid" +
                     sql.where_clause() + " ORDER BY d." + q.order_by +
                     (q.descending ? " DESC" : "") + ", d.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<Droplet>(*rows, kDropletColumns, read_first_droplet);
}

asio::awaitable<Result<std::optional<Droplet>>> DropletsDb::droplet(Viewer viewer,
                                                                    std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_droplets(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<Droplet>> DropletsDb::update_droplet(Droplet d) {
  pg::Params params{
      d.guid, d.state, d.error, d.process_types_json, d.execution_metadata, d.buildpacks_json,
      d.sha1, d.sha256};
  std::string text =
      "UPDATE droplets AS d SET state = $2, error = $3, process_types = $4, "
      "execution_metadata = $5, buildpacks = $6, sha1 = $7, sha256 = $8, updated_at = now() "
      "WHERE guid = $1 RETURNING " +
      kDropletRow;
  co_return co_await single<Droplet>(pool_, std::move(text), std::move(params), read_first_droplet,
                                     "Droplet not found");
}

asio::awaitable<Result<Page<Build>>> DropletsDb::list_builds(Viewer viewer, ListQuery q) {
  Sql sql;
  common_filters(sql, viewer, q, "b");
  if (auto* v = q.filter("package_guids")) sql.any_of("b.package_guid", *v);
  std::string text = "SELECT " + kBuildRow +
                     ", count(*) OVER () FROM builds b JOIN apps a ON a.guid = b.app_guid" +
                     sql.where_clause() + " ORDER BY b." + q.order_by +
                     (q.descending ? " DESC" : "") + ", b.guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<Build>(*rows, 13, read_build);
}

asio::awaitable<Result<std::optional<Build>>> DropletsDb::build(Viewer viewer, std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list_builds(std::move(viewer), std::move(q)));
}

asio::awaitable<Result<Build>> DropletsDb::create_build(Build b) {
  auto create = [b](pg::Connection& c) -> asio::awaitable<Result<Build>> {
    auto droplet =
        co_await c.query("INSERT INTO droplets (guid, app_guid, package_guid) VALUES ($1, $2, $3)",
                         b.droplet_guid, b.app_guid, b.package_guid);
    if (!droplet) co_return std::move(droplet).error();
    pg::Params params{b.guid,
                      b.app_guid,
                      b.package_guid,
                      b.droplet_guid,
                      b.lifecycle_json,
                      b.staging_memory_in_mb,
                      b.staging_disk_in_mb,
                      b.created_by_guid,
                      b.created_by_name};
    std::string text =
        "INSERT INTO builds AS b (guid, app_guid, package_guid, droplet_guid, lifecycle, "
        "staging_memory_in_mb, staging_disk_in_mb, created_by_guid, created_by_name) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " +
        kBuildRow;
    auto rows = co_await c.query_params(std::move(text), std::move(params));
    if (!rows) co_return std::move(rows).error();
    auto page = read_page<Build>(*rows, -1, read_build);
    if (!page) co_return std::move(page).error();
    co_return std::move(page->resources.front());
  };
  co_return co_await pg::transaction(pool_, std::move(create));
}

asio::awaitable<Result<Build>> DropletsDb::update_build(Build b) {
  pg::Params params{b.guid, b.state, b.error};
  std::string text =
      "UPDATE builds AS b SET state = $2, error = $3, updated_at = now() WHERE guid = $1 "
      "RETURNING " +
      kBuildRow;
  co_return co_await single<Build>(pool_, std::move(text), std::move(params), read_build,
                                   "Build not found");
}

asio::awaitable<Result<std::vector<ProcessRun>>> DropletsDb::runs(
    std::vector<std::string> app_guids) {
  Sql sql;
  if (app_guids.empty()) {
    sql.where.push_back("a.state = 'STARTED' AND d.state = 'STAGED'");
  } else {
    sql.any_of("a.guid", app_guids);
  }
  std::string text = "SELECT " + kProcessColumns + ", " + kAppColumns +
                     ", s.name, o.guid, o.name, d.guid IS NOT NULL, " + kDropletRow +
                     " FROM processes p JOIN apps a ON a.guid = p.app_guid JOIN spaces s ON "
                     "s.guid = a.space_guid JOIN organizations o ON o.guid = "
                     "s.organization_guid LEFT JOIN droplets d ON d.guid = a.droplet_guid" +
                     sql.where_clause() + " ORDER BY p.guid";
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  std::vector<ProcessRun> out;
  for (auto row : *rows) {
    Reader r{row, {}};
    ProcessRun run;
    run.process = read_process_at(r, 0);
    run.app = read_app_at(r, kProcessColumnCount);
    constexpr int at = kProcessColumnCount + kAppColumnCount;
    run.space_name = r.text(at);
    run.organization_guid = r.text(at + 1);
    run.organization_name = r.text(at + 2);
    if (r.boolean(at + 3)) run.droplet = read_droplet(r, at + 4);
    if (r.error) co_return *r.error;
    out.push_back(std::move(run));
  }
  co_return out;
}

}  // namespace cupola::cc
