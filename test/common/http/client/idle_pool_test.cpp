#include "common/http/client/idle_pool.h"

#include <catch2/catch.hpp>

namespace cupola::http {

namespace {

using namespace std::chrono_literals;
using Time = std::chrono::steady_clock::time_point;

struct FakeConn {
  explicit FakeConn(int id, int* closed) : id(id), closed(closed) {}
  ~FakeConn() { ++*closed; }
  int id;
  int* closed;
};

}  // namespace

TEST_CASE("IdlePool") {
  int closed = 0;
  const Time t0{};
  IdlePool<FakeConn> pool(2, 30s);
  auto conn = [&](int id) { return std::make_unique<FakeConn>(id, &closed); };

  SECTION("when empty, take returns nothing") { CHECK(pool.take("a", t0) == nullptr); }

  SECTION("when a connection is returned, the same key takes it back") {
    pool.put("a", conn(1), t0);
    CHECK(pool.take("b", t0) == nullptr);
    auto c = pool.take("a", t0 + 1s);
    REQUIRE(c != nullptr);
    CHECK(c->id == 1);
    CHECK(pool.idle_count() == 0);
    CHECK(closed == 0);
  }

  SECTION("when several are idle, the most recently returned is taken first") {
    pool.put("a", conn(1), t0);
    pool.put("a", conn(2), t0 + 1s);
    CHECK(pool.take("a", t0 + 2s)->id == 2);
  }

  SECTION("when a key is full, the longest-idle connection is closed") {
    pool.put("a", conn(1), t0);
    pool.put("a", conn(2), t0 + 1s);
    pool.put("a", conn(3), t0 + 2s);
    CHECK(closed == 1);
    CHECK(pool.idle_count("a") == 2);
    CHECK(pool.take("a", t0 + 3s)->id == 3);
    CHECK(pool.take("a", t0 + 3s)->id == 2);
  }

  SECTION("when other keys are full, a key still has its own room") {
    pool.put("a", conn(1), t0);
    pool.put("a", conn(2), t0);
    pool.put("b", conn(3), t0);
    CHECK(pool.idle_count() == 3);
    CHECK(closed == 0);
  }

  SECTION("when a connection has been idle for the timeout, it is closed, not taken") {
    pool.put("a", conn(1), t0);
    pool.put("b", conn(2), t0 + 10s);
    CHECK(pool.take("a", t0 + 29s) != nullptr);
    pool.put("a", conn(3), t0 + 1s);
    CHECK(pool.take("a", t0 + 31s) == nullptr);
    CHECK(closed == 2);  // 1 was taken and destroyed by the check; 3 expired
    CHECK(pool.idle_count("b") == 1);
    CHECK(pool.expire(t0 + 40s) == 1);
    CHECK(pool.idle_count() == 0);
  }

  SECTION("when the maximum is zero, nothing is kept") {
    IdlePool<FakeConn> none(0, 30s);
    none.put("a", conn(1), t0);
    CHECK(closed == 1);
    CHECK(none.take("a", t0) == nullptr);
  }
}

}  // namespace cupola::http
