#include "diego/auctioneer/src/lock_keeper.h"

#include <catch2/catch.hpp>

#include "common/core/clock.h"
#include "common/http/router.h"
#include "common/json/json.h"
#include "diego/auctioneer/src/handlers.h"
#include "test/diego/auctioneer/fakes.h"

using namespace cupola;
using namespace cupola::auctioneer;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using cupola::auctioneer::test::FakeBbsClient;
using cupola::auctioneer::test::FakeReps;

namespace {

constexpr const char* kUrl = "http://10.0.0.1:9016";

struct Harness {
  asio::io_context io;
  FakeClock clock;
  std::shared_ptr<log::MemorySink> sink = std::make_shared<log::MemorySink>();
  log::Logger logger{sink, clock, "auctioneer"};
  FakeBbsClient bbs;
  LockKeeper keeper{io.get_executor(), bbs,
                    LockKeeperOptions{.key = "auctioneer",
                                      .owner = "me",
                                      .value = [] { return std::string(kUrl); },
                                      .ttl = 15s,
                                      .refresh_interval = 5s,
                                      .retry_interval = 1s},
                    clock, logger};

  bool attempt() { return test::run(io, keeper.attempt()); }
  void release() { test::run(io, keeper.release()); }
};

struct Answer {
  unsigned status = 0;
  std::string type;
  std::string message;
};

Answer post(asio::io_context& io, const http::Router& router, const std::string& path,
            std::string body) {
  auto found = router.find(http::Verb::post, path);
  REQUIRE(found.kind == http::Router::Lookup::Kind::Found);
  http::Request request{http::Verb::post, path, 11};
  request.body() = std::move(body);
  static const SystemClock clock;
  http::RequestContext ctx(std::move(request), "127.0.0.1",
                           log::Logger(std::make_shared<log::MemorySink>(), clock, "t"),
                           io.get_executor(), nullptr);
  auto response = test::run(io, found.route->handler(ctx));
  Answer a;
  a.status = response.result_int();
  if (a.status / 100 != 2) {
    auto doc = json::parse(response.body());
    REQUIRE(doc);
    json::ObjectReader r(*doc);
    auto e = r.object("error", true);
    e.required("type", a.type);
    e.required("message", a.message);
  }
  return a;
}

}  // namespace

TEST_CASE("LockKeeper acquires, refreshes and loses the BBS lock") {
  Harness h;

  SECTION("a free lock is acquired with this process's owner, value and TTL") {
    CHECK_FALSE(h.keeper.holding());
    CHECK(h.attempt());
    CHECK(h.keeper.holding());
    CHECK(h.bbs.lock == bbs::LockRecord{"auctioneer", "me", kUrl});
    CHECK(h.bbs.last_ttl_seconds == 15);
    CHECK(h.keeper.active_value() == kUrl);
  }
  SECTION("each refresh extends the hold by the TTL from when it was sent") {
    REQUIRE(h.attempt());
    h.clock.advance(10s);
    REQUIRE(h.attempt());
    h.clock.advance(14s);
    CHECK(h.keeper.holding());
    h.clock.advance(1s);
    CHECK_FALSE(h.keeper.holding());
  }
  SECTION("failed refreshes keep the lock until the TTL runs out, then lose it") {
    REQUIRE(h.attempt());
    h.bbs.acquire_error = make_error(Errc::Unavailable, "bbs is down");
    h.clock.advance(5s);
    CHECK(h.attempt());
    h.clock.advance(9s);
    CHECK(h.attempt());
    h.clock.advance(1s);
    CHECK_FALSE(h.attempt());
    CHECK_FALSE(h.keeper.holding());
    h.bbs.acquire_error = Status{};
    CHECK(h.attempt());
  }
  SECTION("a collision loses it at once and learns the active holder's value") {
    REQUIRE(h.attempt());
    h.bbs.lock = bbs::LockRecord{"auctioneer", "other", "http://10.0.0.2:9016"};
    CHECK_FALSE(h.attempt());
    CHECK_FALSE(h.keeper.holding());
    CHECK(h.keeper.active_value() == "http://10.0.0.2:9016");
  }
  SECTION("release gives the lock back") {
    REQUIRE(h.attempt());
    h.release();
    CHECK_FALSE(h.keeper.holding());
    CHECK(h.bbs.release_calls == 1);
    CHECK(h.bbs.lock.owner.empty());
    h.release();
    CHECK(h.bbs.release_calls == 1);
  }
}

TEST_CASE("LockKeeper's run loop refreshes until stopped, then releases") {
  asio::io_context io;
  FakeClock clock;
  FakeBbsClient bbs;
  auto keeper = std::make_shared<LockKeeper>(
      io.get_executor(), bbs,
      LockKeeperOptions{.key = "auctioneer",
                        .owner = "me",
                        .value = {},
                        .ttl = 15s,
                        .refresh_interval = 5ms,
                        .retry_interval = 5ms},
      clock, log::Logger(std::make_shared<log::MemorySink>(), clock, "auctioneer"));
  asio::steady_timer later(io);
  later.expires_after(100ms);
  later.async_wait([&](boost::system::error_code) {
    CHECK(keeper->holding());
    keeper->stop();
  });
  test::run(io, keeper->run());
  CHECK(bbs.acquire_calls >= 3);
  CHECK(bbs.release_calls == 1);
  CHECK(bbs.lock.owner.empty());
}

TEST_CASE("a passive auctioneer answers 503 naming the active one") {
  Harness h;
  FakeReps reps{h.io.get_executor()};
  AuctionRunner runner{h.io.get_executor(), h.bbs, reps, AuctionRunnerOptions{}, h.logger};
  Batcher batcher{h.io.get_executor(), runner, 10ms, h.logger};
  http::Router router;
  add_auction_routes(router, batcher, &h.keeper);
  const std::string lrps =
      R"({"lrps": [{"process_guid": "app", "index": 0, "domain": "d", "memory_mb": 128,
          "disk_mb": 128, "max_pids": 0, "root_fs": "cupolafs", "placement_tags": []}]})";

  SECTION("before it knows the active one") {
    auto a = post(h.io, router, "/v1/lrps", lrps);
    CHECK(a.status == 503);
    CHECK(a.type == "ServiceUnavailable");
    CHECK(a.message == "passive");
    CHECK(batcher.waiting() == 0);
  }
  SECTION("after a collision taught it the active one") {
    h.bbs.lock = bbs::LockRecord{"auctioneer", "other", "http://10.0.0.2:9016"};
    REQUIRE_FALSE(h.attempt());
    auto a = post(h.io, router, "/v1/tasks", R"({"tasks": []})");
    CHECK(a.status == 503);
    CHECK(a.type == "ServiceUnavailable");
    CHECK(a.message == "this auctioneer is passive; the active one is http://10.0.0.2:9016");
  }
  SECTION("while it holds the lock it accepts work") {
    REQUIRE(h.attempt());
    CHECK(post(h.io, router, "/v1/lrps", lrps).status == 202);
    CHECK(batcher.waiting() == 1);
  }
}
