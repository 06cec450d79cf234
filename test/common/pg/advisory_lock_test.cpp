#include "common/pg/advisory_lock.h"

#include <catch2/catch.hpp>

#include "common/pg/error.h"
#include "common/pg/pool.h"
#include "common/testing/postgres/postgres_server.h"
#include "test/common/pg/pg_test_support.h"

using namespace cupola;
using namespace cupola::pg;
using namespace std::chrono_literals;
namespace asio = boost::asio;

TEST_CASE("AdvisoryLock", "[integration]") {
  auto& server = testing::PostgresServer::shared();
  asio::io_context io;
  std::string conninfo = server.conninfo(server.fresh_database("lock"));
  constexpr std::int64_t kKey = 4242;
  AdvisoryLock a(io.get_executor(), {.conninfo = conninfo}, kKey, test::test_logger());
  AdvisoryLock b(io.get_executor(), {.conninfo = conninfo}, kKey, test::test_logger());
  Pool admin(io.get_executor(), {.conninfo = conninfo}, test::test_logger());

  auto a_got = test::run(io, a.try_acquire());
  auto b_got = test::run(io, b.try_acquire());
  REQUIRE(a_got);
  REQUIRE(b_got);

  SECTION("exactly one of two contenders holds it") {
    CHECK(*a_got);
    CHECK_FALSE(*b_got);
    CHECK(a.held());
    CHECK_FALSE(b.held());
    auto again = test::run(io, a.try_acquire());
    REQUIRE(again);
    CHECK(*again);
  }

  SECTION("after the holder releases, the other takes it over") {
    REQUIRE(test::run(io, a.release()));
    CHECK_FALSE(a.held());
    auto taken = test::run(io, b.try_acquire());
    REQUIRE(taken);
    CHECK(*taken);
    CHECK(b.held());
    auto back = test::run(io, a.try_acquire());
    REQUIRE(back);
    CHECK_FALSE(*back);
  }

  SECTION("when the holder's connection dies, it learns so and the other takes over") {
    int pid = a.backend_pid();
    REQUIRE(pid != 0);
    auto killed = test::run(io, admin.query("SELECT pg_terminate_backend($1, 5000)", pid));
    REQUIRE(killed);
    REQUIRE(*(*killed)[0].boolean(0));

    Error lost = test::run(io, a.wait_lost(), 30s);
    CHECK(is_connection_error(lost));
    CHECK(lost.message.find("advisory lock 4242 lost") != std::string::npos);
    CHECK_FALSE(a.held());
    auto taken = test::run(io, b.try_acquire());
    REQUIRE(taken);
    CHECK(*taken);
  }

  SECTION("waiting for loss while not holding fails at once") {
    Error e = test::run(io, b.wait_lost());
    CHECK(e.code == Errc::InvalidArgument);
  }
}
