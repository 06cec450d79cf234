#include <catch2/catch.hpp>

#include <thread>

#include <boost/asio/co_spawn.hpp>

#include "common/pg/error.h"
#include "common/pg/listener.h"
#include "common/pg/pool.h"
#include "common/testing/postgres/postgres_server.h"
#include "test/common/pg/pg_test_support.h"

using namespace cupola;
using namespace cupola::pg;
using namespace std::chrono_literals;
namespace asio = boost::asio;

// A server of its own: these tests stop and restart it.
TEST_CASE("Reconnecting after a server restart", "[integration]") {
  testing::PostgresServer server;
  std::string conninfo = server.conninfo();
  asio::io_context io;
  BackoffOptions fast{20ms, 200ms, 2.0};
  Pool pool(io.get_executor(),
            {.conninfo = conninfo, .max_size = 2, .acquire_timeout = 500ms, .backoff = fast},
            test::test_logger());
  auto before = test::run(io, pool.query("SELECT pg_backend_pid()"));
  REQUIRE(before);

  SECTION("the pool fails while the server is down and recovers once it is back") {
    server.stop();
    auto down = test::run(io, pool.query("SELECT 1"));
    REQUIRE_FALSE(down);
    CHECK(is_connection_error(down.error()));
    server.start();
    auto up = test::run(io, pool.query("SELECT pg_backend_pid()"));
    REQUIRE(up);
  }

  SECTION("idle connections that died with the server are replaced transparently") {
    server.stop();
    server.start();
    auto up = test::run(io, pool.query("SELECT 1"));
    REQUIRE(up);
    CHECK(pool.size() == 1);
  }

  SECTION("wait_ready waits for a server that comes up later") {
    server.stop();
    // The server is started from this thread: its process is tied to the thread that
    // forked it. The pool waits on another.
    std::optional<Status> ready;
    std::thread waiter([&] { ready = test::run(io, pool.wait_ready(60s)); });
    server.start();
    waiter.join();
    REQUIRE(ready);
    INFO((*ready ? std::string() : ready->error().describe()));
    REQUIRE(*ready);
    CHECK(test::run(io, pool.query("SELECT 1")));
  }

  SECTION("a listener re-listens after the restart") {
    std::vector<Notification> got;
    Listener listener(io.get_executor(),
                      {.connect = {.conninfo = conninfo, .backoff = fast}, .channels = {"events"}},
                      test::test_logger(), [&](const Notification& n) { got.push_back(n); });
    bool finished = false;
    asio::co_spawn(io, listener.run(), [&](std::exception_ptr) { finished = true; });
    REQUIRE(test::run(io, listener.wait_for_generation(1, 30s)));

    server.stop();
    server.start();
    REQUIRE(test::run(io, listener.wait_for_generation(2, 30s)));
    REQUIRE(test::run(io, pool.query("SELECT pg_notify($1, $2)", "events", "back")));
    for (int i = 0; i < 300 && got.empty(); ++i) io.run_one_for(100ms);
    REQUIRE(got.size() == 1);
    CHECK(got[0].payload == "back");

    listener.stop();
    for (int i = 0; i < 100 && !finished; ++i) io.run_one_for(100ms);
    CHECK(finished);
  }
}
