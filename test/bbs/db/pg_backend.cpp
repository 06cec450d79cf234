#include "test/bbs/db/pg_backend.h"

#include <stdexcept>

#include "bbs/src/db/pg/schema.h"
#include "common/pg/migrate.h"
#include "common/testing/postgres/postgres_server.h"

namespace cupola::bbs::contract {

namespace {

pg::PoolOptions with_conninfo(pg::PoolOptions options, std::string conninfo) {
  options.conninfo = std::move(conninfo);
  return options;
}

}  // namespace

PgBackend::PgBackend(std::string conninfo, pg::PoolOptions options)
    : pool_(io_.get_executor(), with_conninfo(std::move(options), std::move(conninfo)),
            pg::test::test_logger()) {
  migrate();
}

std::vector<std::int64_t> PgBackend::migrate() {
  auto applied = run(pg::migrate(pool_, bbs_migrations(), pg::test::test_logger()));
  if (!applied) throw std::runtime_error("migrations failed: " + applied.error().describe());
  return std::move(applied).value();
}

std::unique_ptr<Backend> make_pg_backend() {
  auto& server = testing::PostgresServer::shared();
  return std::make_unique<PgBackend>(server.conninfo(server.fresh_database("bbs")));
}

}  // namespace cupola::bbs::contract
