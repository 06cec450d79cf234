#include "common/pg/pool.h"

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "common/pg/error.h"
#include "common/testing/postgres/postgres_server.h"
#include "common/testing/temp_dir.h"
#include "test/common/pg/pg_test_support.h"

using namespace cupola;
using namespace cupola::pg;
using namespace std::chrono_literals;
namespace asio = boost::asio;

TEST_CASE("Pool", "[integration]") {
  auto& server = testing::PostgresServer::shared();
  asio::io_context io;
  std::string conninfo = server.conninfo(server.fresh_database("pool"));
  Pool pool(io.get_executor(), {.conninfo = conninfo, .max_size = 2, .acquire_timeout = 300ms},
            test::test_logger());

  SECTION("when every connection is out, acquire times out with a clear error") {
    auto a = test::run(io, pool.acquire());
    auto b = test::run(io, pool.acquire());
    REQUIRE(a);
    REQUIRE(b);
    CHECK((*a)->backend_pid() != (*b)->backend_pid());

    auto started = std::chrono::steady_clock::now();
    auto c = test::run(io, pool.acquire());
    auto waited = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(c);
    CHECK(c.error().code == Errc::Timeout);
    CHECK(c.error().message.find("postgres pool of 2 connections is exhausted") !=
          std::string::npos);
    CHECK(waited >= 300ms);
    CHECK(pool.size() == 2);

    SECTION("and after a release it succeeds with the released connection") {
      int pid = (*a)->backend_pid();
      a->release();
      auto d = test::run(io, pool.acquire());
      REQUIRE(d);
      CHECK((*d)->backend_pid() == pid);
      CHECK(pool.size() == 2);
    }
  }

  SECTION("a waiting acquire gets the connection released while it waits") {
    auto a = test::run(io, pool.acquire());
    auto b = test::run(io, pool.acquire());
    REQUIRE(a);
    REQUIRE(b);
    int pid = (*b)->backend_pid();
    std::optional<Result<PooledConnection>> waited;
    asio::co_spawn(
        io,
        [](Pool& p, std::optional<Result<PooledConnection>>* out) -> asio::awaitable<void> {
          out->emplace(co_await p.acquire());
        }(pool, &waited),
        asio::detached);
    io.restart();
    io.poll();  // the acquire is now queued behind the two loans
    REQUIRE_FALSE(waited);
    b->release();
    for (int i = 0; i < 100 && !waited; ++i) io.run_one_for(100ms);
    REQUIRE(waited);
    REQUIRE(*waited);
    CHECK((**waited)->backend_pid() == pid);
  }

  SECTION("a connection that broke while idle is discarded and replaced") {
    auto victim = test::run(io, pool.acquire());
    auto killer = test::run(io, pool.acquire());
    REQUIRE(victim);
    REQUIRE(killer);
    int victim_pid = (*victim)->backend_pid();
    victim->release();
    auto killed =
        test::run(io, (*killer)->query("SELECT pg_terminate_backend($1, 5000)", victim_pid));
    REQUIRE(killed);
    REQUIRE(*(*killed)[0].boolean(0));
    killer->release();
    REQUIRE(pool.idle() == 2);

    // Two loans at once must use both slots: one is the killer, the other a replacement.
    auto x = test::run(io, pool.acquire());
    auto y = test::run(io, pool.acquire());
    REQUIRE(x);
    REQUIRE(y);
    CHECK((*x)->backend_pid() != victim_pid);
    CHECK((*y)->backend_pid() != victim_pid);
    CHECK(test::run(io, (*y)->query("SELECT 1")));
    CHECK(pool.size() == 2);
  }

  SECTION("a connection that broke while lent is discarded on return") {
    auto a = test::run(io, pool.acquire());
    REQUIRE(a);
    auto pid = (*a)->backend_pid();
    REQUIRE(test::run(io, pool.query("SELECT pg_terminate_backend($1, 5000)", pid)));
    auto failed = test::run(io, (*a)->query("SELECT 1"));
    REQUIRE_FALSE(failed);
    CHECK(is_connection_error(failed.error()));
    CHECK((*a)->broken());
    a->release();
    CHECK(pool.idle() == 1);  // only the connection that ran the terminate
    auto b = test::run(io, pool.query("SELECT pg_backend_pid()"));
    REQUIRE(b);
    CHECK(*(*b)[0].int64(0) != pid);
  }

  SECTION("a connection returned inside a transaction is not reused") {
    auto a = test::run(io, pool.acquire());
    REQUIRE(a);
    int pid = (*a)->backend_pid();
    REQUIRE(test::run(io, (*a)->query("BEGIN")));
    a->release();
    CHECK(pool.idle() == 0);
    auto b = test::run(io, pool.acquire());
    REQUIRE(b);
    CHECK((*b)->backend_pid() != pid);
    CHECK_FALSE((*b)->in_transaction());
  }
}

TEST_CASE("Pool when nothing listens", "[integration]") {
  asio::io_context io;
  auto port = testing::free_tcp_port();
  auto sink = std::make_shared<log::MemorySink>();
  Pool pool(io.get_executor(),
            {.conninfo = "host=127.0.0.1 port=" + std::to_string(port) +
                         " user=cupola password=s3cret dbname=none",
             .acquire_timeout = 400ms,
             .backoff = {50ms, 100ms, 2.0}},
            test::test_logger(sink));

  SECTION("retries with backoff until the deadline, then reports the connection error") {
    auto started = std::chrono::steady_clock::now();
    auto c = test::run(io, pool.acquire());
    REQUIRE_FALSE(c);
    CHECK(is_connection_error(c.error()));
    CHECK(c.error().message.find("gave up connecting to postgres after") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(pool.size() == 0);
    // Several attempts were logged, none with the password.
    int attempts = 0;
    for (const auto& line : sink->lines()) {
      CHECK(line.find("s3cret") == std::string::npos);
      if (line.find("connect-failed") != std::string::npos) ++attempts;
    }
    CHECK(attempts >= 2);
    CHECK(c.error().message.find("s3cret") == std::string::npos);
  }
}
