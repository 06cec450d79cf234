#include "common/pg/migrate.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "common/testing/postgres/postgres_server.h"
#include "test/common/pg/pg_test_support.h"

using namespace cupola;
using namespace cupola::pg;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

std::vector<Migration> base_migrations() {
  return {
      {1, "create widgets",
       "CREATE TABLE widgets (id bigint PRIMARY KEY, name text NOT NULL);"
       "CREATE TABLE runs (migration bigint NOT NULL);"
       "INSERT INTO runs VALUES (1);"},
      {2, "add widget color",
       "ALTER TABLE widgets ADD COLUMN color text;"
       "INSERT INTO runs VALUES (2);"},
  };
}

std::int64_t count(asio::io_context& io, Pool& pool, const std::string& sql) {
  auto r = test::run(io, pool.query(sql));
  REQUIRE(r);
  return *(*r)[0].int64(0);
}

using Applied = Result<std::vector<std::int64_t>>;

}  // namespace

TEST_CASE("migrate", "[integration]") {
  auto& server = testing::PostgresServer::shared();
  asio::io_context io;
  std::string conninfo = server.conninfo(server.fresh_database("migrate"));
  Pool pool(io.get_executor(), {.conninfo = conninfo}, test::test_logger());

  SECTION("applies in order once; running again is a no-op") {
    // Listed out of order: applied by version.
    auto migrations = base_migrations();
    std::reverse(migrations.begin(), migrations.end());
    auto first = test::run(io, migrate(pool, migrations, test::test_logger()));
    REQUIRE(first);
    CHECK(*first == std::vector<std::int64_t>{1, 2});
    auto second = test::run(io, migrate(pool, migrations, test::test_logger()));
    REQUIRE(second);
    CHECK(second->empty());
    CHECK(count(io, pool, "SELECT count(*) FROM runs") == 2);
    CHECK(count(io, pool, "SELECT count(*) FROM schema_migrations") == 2);
    auto names = test::run(io, pool.query("SELECT name FROM schema_migrations WHERE version = 2"));
    REQUIRE(names);
    CHECK(*(*names)[0].text("name") == "add widget color");

    SECTION("and a new migration is applied alone") {
      migrations.push_back({3, "index names", "CREATE INDEX widgets_name ON widgets (name);"});
      auto third = test::run(io, migrate(pool, migrations, test::test_logger()));
      REQUIRE(third);
      CHECK(*third == std::vector<std::int64_t>{3});
    }
  }

  SECTION("two concurrent migrators apply each migration exactly once") {
    Pool other(io.get_executor(), {.conninfo = conninfo}, test::test_logger());
    auto migrations = base_migrations();
    // Holds the lock long enough that the other migrator must wait for it.
    migrations[0].sql += "SELECT pg_sleep(0.3);";
    auto both = test::run(
        io,
        [](Pool& a, Pool& b, std::vector<Migration> m)
            -> asio::awaitable<std::tuple<std::optional<Applied>, std::optional<Applied>>> {
          co_return co_await (test::as_optional(migrate(a, m, test::test_logger())) &&
                              test::as_optional(migrate(b, m, test::test_logger())));
        }(pool, other, migrations));
    auto& [ra, rb] = both;
    REQUIRE(*ra);
    REQUIRE(*rb);
    std::vector<std::int64_t> all = **ra;
    all.insert(all.end(), (*rb)->begin(), (*rb)->end());
    std::sort(all.begin(), all.end());
    CHECK(all == std::vector<std::int64_t>{1, 2});
    CHECK(count(io, pool, "SELECT count(*) FROM runs") == 2);
    CHECK(count(io, pool, "SELECT count(*) FROM schema_migrations") == 2);
  }

  SECTION("a failing migration is rolled back and named; earlier ones stay") {
    auto migrations = base_migrations();
    migrations.push_back(
        {3, "broken", "CREATE TABLE gadgets (id int); SELECT no_such_function();"});
    auto r = test::run(io, migrate(pool, migrations, test::test_logger()));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("migration 3 (broken) failed") != std::string::npos);
    CHECK(count(io, pool, "SELECT count(*) FROM schema_migrations") == 2);
    CHECK(count(io, pool, "SELECT count(*) FROM pg_tables WHERE tablename = 'gadgets'") == 0);
    // The lock was released: a corrected list goes through.
    migrations.back().sql = "CREATE TABLE gadgets (id int);";
    auto fixed = test::run(io, migrate(pool, migrations, test::test_logger()));
    REQUIRE(fixed);
    CHECK(*fixed == std::vector<std::int64_t>{3});
  }

  SECTION("an invalid list is refused before touching the database") {
    auto r = test::run(
        io, migrate(pool, {{1, "a", "SELECT 1"}, {1, "b", "SELECT 1"}}, test::test_logger()));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::InvalidArgument);
    CHECK(count(io, pool, "SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'") ==
          0);
  }
}
