#include "common/pg/transaction.h"

#include <catch2/catch.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "common/testing/postgres/postgres_server.h"
#include "test/common/pg/pg_test_support.h"

using namespace cupola;
using namespace cupola::pg;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

std::vector<std::int64_t> values(asio::io_context& io, Pool& pool) {
  auto rows = test::run(io, pool.query("SELECT v FROM t ORDER BY v"));
  REQUIRE(rows);
  std::vector<std::int64_t> out;
  for (auto row : *rows) out.push_back(*row.int64("v"));
  return out;
}

// Write skew under SERIALIZABLE: read the sum of t, then insert it. Both runs read
// before either writes (the barrier, on the first attempt only), so one of them must
// fail with a serialization failure.
asio::awaitable<Status> insert_sum(Pool& pool, test::Barrier& barrier, int& runs) {
  co_return co_await transaction(
      pool,
      [&barrier, &runs](Connection& conn) -> asio::awaitable<Status> {
        int run = ++runs;
        auto sum = co_await conn.query("SELECT coalesce(sum(v), 0) AS s FROM t");
        if (!sum) co_return std::move(sum).error();
        if (run <= 2) co_await barrier.arrive();
        auto s = *(*sum)[0].int64("s");
        auto inserted = co_await conn.query("INSERT INTO t (v) VALUES ($1)", s);
        if (!inserted) co_return std::move(inserted).error();
        co_return Status{};
      },
      {.isolation = Isolation::Serializable, .max_attempts = 3});
}

}  // namespace

TEST_CASE("transaction", "[integration]") {
  auto& server = testing::PostgresServer::shared();
  asio::io_context io;
  Pool pool(io.get_executor(), {.conninfo = server.conninfo(server.fresh_database("tx"))},
            test::test_logger());
  REQUIRE(test::run(io, pool.query("CREATE TABLE t (v bigint NOT NULL, u int UNIQUE)")));
  REQUIRE(test::run(io, pool.query("INSERT INTO t (v) VALUES (1)")));

  SECTION("commits what the function did and returns its value") {
    auto r = test::run(io, transaction(pool, [](Connection& conn) -> asio::awaitable<Result<int>> {
                         auto q = co_await conn.query("INSERT INTO t (v) VALUES ($1)", 5);
                         if (!q) co_return std::move(q).error();
                         co_return 42;
                       }));
    REQUIRE(r);
    CHECK(*r == 42);
    CHECK(values(io, pool) == std::vector<std::int64_t>{1, 5});
  }

  SECTION("when the function fails, rolls back and returns its error once") {
    int runs = 0;
    auto r = test::run(io, transaction(pool, [&runs](Connection& conn) -> asio::awaitable<Status> {
                         ++runs;
                         auto q = co_await conn.query("INSERT INTO t (v) VALUES ($1)", 9);
                         if (!q) co_return std::move(q).error();
                         co_return make_error(Errc::Conflict, "changed my mind");
                       }));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::Conflict);
    CHECK(r.error().message == "changed my mind");
    CHECK(runs == 1);
    CHECK(values(io, pool) == std::vector<std::int64_t>{1});
  }

  SECTION("when a statement fails, rolls back without retrying") {
    int runs = 0;
    auto r = test::run(io, transaction(pool, [&runs](Connection& conn) -> asio::awaitable<Status> {
                         ++runs;
                         auto a = co_await conn.query("INSERT INTO t (v, u) VALUES (2, 1)");
                         if (!a) co_return std::move(a).error();
                         auto b = co_await conn.query("INSERT INTO t (v, u) VALUES (3, 1)");
                         if (!b) co_return std::move(b).error();
                         co_return Status{};
                       }));
    REQUIRE_FALSE(r);
    CHECK(is_unique_violation(r.error()));
    CHECK(runs == 1);
    CHECK(values(io, pool) == std::vector<std::int64_t>{1});
  }

  SECTION("when a failed statement's error is ignored, COMMIT reports the rollback") {
    auto r = test::run(io, transaction(pool, [](Connection& conn) -> asio::awaitable<Status> {
                         auto a = co_await conn.query("INSERT INTO t (v) VALUES (4)");
                         auto b = co_await conn.query("SELEC 1");
                         (void)a;
                         (void)b;
                         co_return Status{};
                       }));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("rolled back") != std::string::npos);
    CHECK(values(io, pool) == std::vector<std::int64_t>{1});
  }

  SECTION("a serialization failure reruns the whole function and ends correct") {
    test::Barrier barrier(io.get_executor(), 2);
    int runs = 0;
    auto both = test::run(
        io, [](Pool& p, test::Barrier& b, int& n) -> asio::awaitable<std::tuple<Status, Status>> {
          co_return co_await (insert_sum(p, b, n) && insert_sum(p, b, n));
        }(pool, barrier, runs));
    CHECK(std::get<0>(both));
    CHECK(std::get<1>(both));
    // One transaction ran twice: 1 + 1 (first commit), then 2 (the rerun saw it).
    CHECK(runs == 3);
    CHECK(values(io, pool) == std::vector<std::int64_t>{1, 1, 2});
  }

  SECTION("when attempts run out, the serialization failure is returned") {
    test::Barrier barrier(io.get_executor(), 2);
    int runs = 0;
    auto once = [](Pool& p, test::Barrier& b, int& n) -> asio::awaitable<Status> {
      co_return co_await transaction(p,
                                     [&b, &n](Connection& conn) -> asio::awaitable<Status> {
                                       ++n;
                                       auto sum = co_await conn.query("SELECT sum(v) FROM t");
                                       if (!sum) co_return std::move(sum).error();
                                       co_await b.arrive();
                                       auto ins = co_await conn.query(
                                           "INSERT INTO t (v) VALUES ($1)", *(*sum)[0].int64(0));
                                       if (!ins) co_return std::move(ins).error();
                                       co_return Status{};
                                     },
                                     {.isolation = Isolation::Serializable, .max_attempts = 1});
    };
    auto both = test::run(io,
                          [](auto op, Pool& p, test::Barrier& b,
                             int& n) -> asio::awaitable<std::tuple<Status, Status>> {
                            co_return co_await (op(p, b, n) && op(p, b, n));
                          }(once, pool, barrier, runs));
    int failed = 0;
    for (const Status* s : {&std::get<0>(both), &std::get<1>(both)}) {
      if (!*s) {
        ++failed;
        CHECK(is_serialization_failure(s->error()));
      }
    }
    CHECK(failed == 1);
    CHECK(runs == 2);
    CHECK(values(io, pool) == std::vector<std::int64_t>{1, 1});
  }
}
