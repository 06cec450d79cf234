#include <catch2/catch.hpp>

#include "common/pg/error.h"
#include "common/pg/pool.h"
#include "common/testing/postgres/postgres_server.h"
#include "test/common/pg/pg_test_support.h"

using namespace cupola;
using namespace cupola::pg;
using namespace std::chrono_literals;
namespace asio = boost::asio;

TEST_CASE("Connection::query against Postgres", "[integration]") {
  auto& server = testing::PostgresServer::shared();
  asio::io_context io;
  Pool pool(io.get_executor(), {.conninfo = server.conninfo(server.fresh_database("query"))},
            test::test_logger());
  auto created = test::run(io, pool.query("CREATE TABLE items (id bigint PRIMARY KEY, "
                                          "name text, active boolean, note text)"));
  REQUIRE(created);

  SECTION("parameters round-trip, including NULL, unicode, quotes and semicolons") {
    const std::string hostile = "x'); DROP TABLE items; -- \"$1\" \\ ;";
    const std::string unicode = "héllo wörld ✓ 日本語 🚀";
    auto inserted = test::run(
        io, pool.query("INSERT INTO items (id, name, active, note) VALUES ($1, $2, $3, $4), "
                       "($5, $6, $7, $8)",
                       1, hostile, true, std::nullopt, 2, unicode, false, "plain"));
    REQUIRE(inserted);
    CHECK(inserted->affected() == 2);
    CHECK(inserted->command() == "INSERT");

    auto rows = test::run(io, pool.query("SELECT id, name, active, note FROM items ORDER BY id"));
    REQUIRE(rows);
    REQUIRE(rows->size() == 2);
    auto first = (*rows)[0];
    CHECK(*first.int64("id") == 1);
    CHECK(*first.text("name") == hostile);
    CHECK(*first.boolean("active"));
    CHECK(*first.optional_text("note") == std::nullopt);
    auto second = (*rows)[1];
    CHECK(*second.text(1) == unicode);
    CHECK_FALSE(*second.boolean(2));
    CHECK(*second.optional_text("note") == std::optional<std::string>("plain"));

    // The value was data, not SQL: the table is still there and matches on it.
    auto found =
        test::run(io, pool.query("SELECT count(*) AS n FROM items WHERE name = $1", hostile));
    REQUIRE(found);
    CHECK(*(*found)[0].int64("n") == 1);
  }

  SECTION("NULL parameters compare as NULL") {
    auto r = test::run(io, pool.query("SELECT $1::text IS NULL AS is_null", std::nullopt));
    REQUIRE(r);
    CHECK(*(*r)[0].boolean("is_null"));
  }

  SECTION("affected counts for UPDATE and DELETE") {
    REQUIRE(test::run(io, pool.query("INSERT INTO items (id) SELECT generate_series(1, 5)")));
    auto updated = test::run(io, pool.query("UPDATE items SET note = $1 WHERE id > $2", "n", 2));
    REQUIRE(updated);
    CHECK(updated->affected() == 3);
    auto deleted = test::run(io, pool.query("DELETE FROM items WHERE id = $1", 99));
    REQUIRE(deleted);
    CHECK(deleted->affected() == 0);
  }

  SECTION("a duplicate key is recognisable as a unique violation") {
    REQUIRE(test::run(io, pool.query("INSERT INTO items (id) VALUES ($1)", 7)));
    auto again = test::run(io, pool.query("INSERT INTO items (id) VALUES ($1)", 7));
    REQUIRE_FALSE(again);
    CHECK(is_unique_violation(again.error()));
    CHECK(sqlstate(again.error()) == "23505");
    CHECK(again.error().message.find("items_pkey") != std::string::npos);
    // The connection stays usable after a statement error.
    CHECK(test::run(io, pool.query("SELECT 1")));
  }

  SECTION("a syntax error carries its SQLSTATE") {
    auto r = test::run(io, pool.query("SELEC 1"));
    REQUIRE_FALSE(r);
    CHECK(sqlstate(r.error()) == "42601");
  }

  SECTION("a script runs several statements") {
    auto conn = test::run(io, pool.acquire());
    REQUIRE(conn);
    auto s = test::run(
        io, (*conn)->execute_script("INSERT INTO items (id) VALUES (10); INSERT INTO items (id) "
                                    "VALUES (11);"));
    REQUIRE(s);
    auto n = test::run(io, (*conn)->query("SELECT count(*) FROM items"));
    REQUIRE(n);
    CHECK(*(*n)[0].int64(0) == 2);
  }
}
