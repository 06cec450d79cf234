#include "common/pg/listener.h"

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "common/pg/pool.h"
#include "common/testing/postgres/postgres_server.h"
#include "test/common/pg/pg_test_support.h"

using namespace cupola;
using namespace cupola::pg;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

// Collects notifications; received(n) completes once n have arrived.
class Inbox {
 public:
  explicit Inbox(asio::any_io_executor ex) : changed_(ex, asio::steady_timer::time_point::max()) {}
  void add(const Notification& n) {
    items.push_back(n);
    changed_.cancel();
  }
  asio::awaitable<bool> received(std::size_t n, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (items.size() < n && std::chrono::steady_clock::now() < deadline) {
      changed_.expires_at(deadline);
      co_await changed_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    changed_.expires_at(asio::steady_timer::time_point::max());
    co_return items.size() >= n;
  }
  std::vector<Notification> items;

 private:
  asio::steady_timer changed_;
};

}  // namespace

TEST_CASE("Listener", "[integration]") {
  auto& server = testing::PostgresServer::shared();
  asio::io_context io;
  std::string conninfo = server.conninfo(server.fresh_database("listen"));
  Pool pool(io.get_executor(), {.conninfo = conninfo}, test::test_logger());
  Inbox inbox(io.get_executor());
  int listening_calls = 0;
  Listener listener(
      io.get_executor(), {.connect = {.conninfo = conninfo}, .channels = {"events", "jobs"}},
      test::test_logger(), [&](const Notification& n) { inbox.add(n); },
      [&] { ++listening_calls; });
  bool finished = false;
  asio::co_spawn(io, listener.run(), [&](std::exception_ptr) { finished = true; });
  REQUIRE(test::run(io, listener.wait_for_generation(1, 30s)));
  CHECK(listening_calls == 1);

  SECTION("delivers notifications on subscribed channels, in order, with payloads") {
    const std::string payload = "it's {\"json\"}; ✓";
    REQUIRE(test::run(io, pool.query("SELECT pg_notify($1, $2)", "other", "ignored")));
    REQUIRE(test::run(io, pool.query("SELECT pg_notify($1, $2)", "events", payload)));
    REQUIRE(test::run(io, pool.query("SELECT pg_notify($1, $2)", "jobs", "")));
    REQUIRE(test::run(io, inbox.received(2, 30s)));
    REQUIRE(inbox.items.size() == 2);
    CHECK(inbox.items[0].channel == "events");
    CHECK(inbox.items[0].payload == payload);
    CHECK(inbox.items[0].backend_pid != 0);
    CHECK(inbox.items[1].channel == "jobs");
    CHECK(inbox.items[1].payload == "");
  }

  SECTION("notifications sent in a transaction arrive only after COMMIT") {
    auto conn = test::run(io, pool.acquire());
    REQUIRE(conn);
    REQUIRE(test::run(io, (*conn)->query("BEGIN")));
    REQUIRE(test::run(io, (*conn)->query("SELECT pg_notify($1, $2)", "events", "a")));
    CHECK_FALSE(test::run(io, inbox.received(1, 200ms)));
    REQUIRE(test::run(io, (*conn)->query("COMMIT")));
    REQUIRE(test::run(io, inbox.received(1, 30s)));
    CHECK(inbox.items[0].payload == "a");
  }

  SECTION("when reconnecting after its connection is terminated, it listens again") {
    int pid = listener.backend_pid();
    REQUIRE(pid != 0);
    REQUIRE(test::run(io, pool.query("SELECT pg_terminate_backend($1, 5000)", pid)));
    REQUIRE(test::run(io, listener.wait_for_generation(2, 30s)));
    CHECK(listening_calls == 2);
    CHECK(listener.backend_pid() != pid);
    REQUIRE(test::run(io, pool.query("SELECT pg_notify($1, $2)", "events", "after")));
    REQUIRE(test::run(io, inbox.received(1, 30s)));
    CHECK(inbox.items[0].payload == "after");
  }

  listener.stop();
  for (int i = 0; i < 100 && !finished; ++i) io.run_one_for(100ms);
  CHECK(finished);
}

TEST_CASE("Listener refuses invalid channel names") {
  asio::io_context io;
  CHECK_THROWS_AS(Listener(io.get_executor(), {.channels = {"ok", "drop table;"}},
                           test::test_logger(), [](const Notification&) {}),
                  std::invalid_argument);
}
