#include <stdexcept>

#include "cloud_controller/src/uaa/pg_revocation_store.h"
#include "cloud_controller/src/uaa/pg_user_store.h"
#include "cloud_controller/src/uaa/schema.h"
#include "common/pg/migrate.h"
#include "common/pg/pool.h"
#include "common/testing/postgres/postgres_server.h"
#include "test/cloud_controller/uaa/backend.h"

namespace cupola::cc::uaa::test {

namespace {

// The Postgres stores on a fresh database of the shared test server, migrated.
class PgBackend final : public Backend {
 public:
  explicit PgBackend(std::string conninfo)
      : pool_(io_.get_executor(), pg::PoolOptions{.conninfo = std::move(conninfo)},
              pg::test::test_logger()) {
    auto applied = run(pg::migrate(pool_, uaa_migrations(), pg::test::test_logger()));
    if (!applied) throw std::runtime_error("migrations failed: " + applied.error().describe());
  }

  std::string name() const override { return "pg"; }
  UserStore& users() override { return users_; }
  RevocationStore& revocations() override { return revocations_; }

 private:
  pg::Pool pool_;
  PgUserStore users_{pool_};
  PgRevocationStore revocations_{pool_};
};

}  // namespace

std::unique_ptr<Backend> make_pg_backend() {
  auto& server = testing::PostgresServer::shared();
  return std::make_unique<PgBackend>(server.conninfo(server.fresh_database("uaa")));
}

}  // namespace cupola::cc::uaa::test
