#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

#include "bbs/src/db/pg/schema.h"
#include "common/pg/migrate.h"
#include "common/testing/postgres/postgres_server.h"
#include "test/bbs/db/actual_lrp_helpers.h"
#include "test/bbs/db/fixtures.h"
#include "test/bbs/db/pg_backend.h"

using namespace cupola;
using namespace cupola::bbs;
using namespace cupola::bbs::contract;
using namespace std::chrono_literals;

// A server of its own: this test stops and starts it.
TEST_CASE("Postgres stores keep their records across a server restart", "[integration]") {
  testing::PostgresServer server;
  server.create_database("bbs");
  PgBackend b(server.conninfo("bbs"), {.max_size = 2, .acquire_timeout = 10s});
  REQUIRE(b.run(b.desired_lrps().desire(desired("web"), {actual("web", 0), actual("web", 1)})));
  REQUIRE(b.run(b.tasks().desire(task("t"))));
  REQUIRE(b.run(b.domains().upsert("cf-apps", 0, kNow)));

  server.stop();
  server.start();

  auto lrp = b.run(b.desired_lrps().get("web"));
  REQUIRE(lrp);
  CHECK(*lrp == desired("web"));
  CHECK(list(b) == std::vector<ActualLrp>{actual("web", 0), actual("web", 1)});
  CHECK(*b.run(b.tasks().get("t")) == task("t"));
  CHECK(*b.run(b.domains().fresh(kNow)) == std::vector<std::string>{"cf-apps"});
}

TEST_CASE("BBS migrations applied twice are a no-op", "[integration]") {
  auto& server = testing::PostgresServer::shared();
  boost::asio::io_context io;
  pg::Pool pool(io.get_executor(), {.conninfo = server.conninfo(server.fresh_database("mig"))},
                pg::test::test_logger());
  auto first = pg::test::run(io, pg::migrate(pool, bbs_migrations(), pg::test::test_logger()));
  REQUIRE(first);
  CHECK(*first == std::vector<std::int64_t>{1, 2, 3, 4, 5});
  REQUIRE(pg::test::run(io, pool.query("INSERT INTO domains (domain, expire_time) "
                                       "VALUES ('cf-apps', 1)")));

  auto second = pg::test::run(io, pg::migrate(pool, bbs_migrations(), pg::test::test_logger()));
  REQUIRE(second);
  CHECK(second->empty());
  auto rows = pg::test::run(io, pool.query("SELECT count(*) FROM domains"));
  REQUIRE(rows);
  CHECK(*(*rows)[0].int64(0) == 1);
  CHECK(pg::validate_migrations(bbs_migrations()));
}

// Prints how long one listing of every row takes; never fails on timing.
TEST_CASE("PgActualLrpDb lists 100000 actual LRPs in one query", "[integration]") {
  auto& server = testing::PostgresServer::shared();
  PgBackend b(server.conninfo(server.fresh_database("bulk")));
  REQUIRE(b.run(b.pool().query(
      "INSERT INTO actual_lrps (process_guid, instance_index, presence, domain, instance_guid, "
      "cell_id, state, net_info, crash_count, crash_reason, placement_error, since, "
      "modification_tag_epoch, modification_tag_index, routable, availability_zone) "
      "SELECT 'app-' || lpad((i / 10)::text, 5, '0'), i % 10, 0, 'cf-apps', 'ig-' || i, "
      "'cell-' || (i % 50), 'RUNNING', "
      "'{\"address\":\"10.0.0.1\",\"ports\":[{\"container_port\":8080,\"host_port\":' || "
      "(60000 + i % 5000) || '}]}', 0, '', '', $1, 'epoch-' || i, 0, true, 'z1' "
      "FROM generate_series(0, 99999) AS i",
      kNow)));

  auto started = std::chrono::steady_clock::now();
  auto all = b.run(b.actual_lrps().list({}));
  auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(all);
  REQUIRE(all->size() == 100'000);
  const auto& last = all->back();
  CHECK(last.key.process_guid == "app-09999");
  CHECK(last.key.index == 9);
  CHECK(last.net_info.ports == std::vector<PortMapping>{{8080, 60000 + 99999 % 5000}});

  auto on_cell_started = std::chrono::steady_clock::now();
  auto on_cell = b.run(b.actual_lrps().list({.cell_id = "cell-7"}));
  auto on_cell_took = std::chrono::steady_clock::now() - on_cell_started;
  REQUIRE(on_cell);
  CHECK(on_cell->size() == 2'000);

  using ms = std::chrono::duration<double, std::milli>;
  std::cout << "bbs_db: listed 100000 actual LRPs in " << ms(took).count() << " ms; "
            << "the 2000 of one cell in " << ms(on_cell_took).count() << " ms\n";
}
