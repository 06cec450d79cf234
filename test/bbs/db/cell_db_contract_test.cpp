#include <catch2/catch.hpp>

#include <limits>

#include "test/bbs/db/backend.h"
#include "test/bbs/db/fixtures.h"

using namespace cupola;
using namespace cupola::bbs;
using namespace cupola::bbs::contract;

namespace {

using Names = std::vector<std::string>;
constexpr std::int64_t kTtl = 15 * kSecond;

Names cell_ids(Backend& b, std::int64_t now) {
  auto r = b.run(b.cells().list(now));
  REQUIRE(r);
  Names out;
  for (const auto& c : *r) out.push_back(c.cell_id);
  return out;
}

Names fresh(Backend& b, std::int64_t now) {
  auto r = b.run(b.domains().fresh(now));
  REQUIRE(r);
  return std::move(r).value();
}

}  // namespace

TEST_CASE("CellDb keeps presences for their TTL", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& db = b.cells();
  REQUIRE(b.run(db.heartbeat(cell("cell-b"), kTtl, kNow)));
  REQUIRE(b.run(db.heartbeat(cell("cell-a"), kTtl, kNow + 5 * kSecond)));

  SECTION("list returns live presences as announced, by cell id") {
    auto r = b.run(db.list(kNow));
    REQUIRE(r);
    CHECK(*r == std::vector<CellPresence>{cell("cell-a"), cell("cell-b")});
  }
  SECTION("a presence expires when its TTL runs out") {
    CHECK(cell_ids(b, kNow + kTtl - 1) == Names{"cell-a", "cell-b"});
    CHECK(cell_ids(b, kNow + kTtl) == Names{"cell-a"});
    CHECK(cell_ids(b, kNow + 5 * kSecond + kTtl).empty());
  }
  SECTION("a heartbeat refreshes the presence and replaces what it says") {
    auto bigger = cell("cell-b");
    bigger.capacity.memory_mb = 8192;
    REQUIRE(b.run(db.heartbeat(bigger, kTtl, kNow + 10 * kSecond)));
    auto r = b.run(db.list(kNow + kTtl + 5 * kSecond));
    REQUIRE(r);
    CHECK(*r == std::vector<CellPresence>{bigger});
  }
  SECTION("prune deletes the expired presences and names them") {
    REQUIRE(b.run(db.heartbeat(cell("cell-c"), kTtl, kNow)));
    auto pruned = b.run(db.prune(kNow + kTtl));
    REQUIRE(pruned);
    CHECK(*pruned == Names{"cell-b", "cell-c"});
    CHECK(cell_ids(b, kNow) == Names{"cell-a"});
    auto again = b.run(db.prune(kNow + kTtl));
    REQUIRE(again);
    CHECK(again->empty());
  }
}

TEST_CASE("DomainDb lists the fresh domains", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& db = b.domains();
  REQUIRE(b.run(db.upsert("cf-tasks", 60 * kSecond, kNow)));
  REQUIRE(b.run(db.upsert("cf-apps", 120 * kSecond, kNow)));
  REQUIRE(b.run(db.upsert("forever", 0, kNow)));

  SECTION("fresh until the TTL runs out; a TTL of 0 never expires") {
    CHECK(fresh(b, kNow) == Names{"cf-apps", "cf-tasks", "forever"});
    CHECK(fresh(b, kNow + 60 * kSecond) == Names{"cf-apps", "forever"});
    CHECK(fresh(b, kNow + 120 * kSecond) == Names{"forever"});
    CHECK(fresh(b, std::numeric_limits<std::int64_t>::max() - 1) == Names{"forever"});
  }
  SECTION("an upsert refreshes an expired domain") {
    REQUIRE(b.run(db.upsert("cf-tasks", 60 * kSecond, kNow + 100 * kSecond)));
    CHECK(fresh(b, kNow + 150 * kSecond) == Names{"cf-tasks", "forever"});
  }
  SECTION("an upsert with a TTL makes a forever domain expire") {
    REQUIRE(b.run(db.upsert("forever", kSecond, kNow)));
    CHECK(fresh(b, kNow + 2 * kSecond) == Names{"cf-apps", "cf-tasks"});
  }
}

TEST_CASE("LockDb hands a key to one owner at a time", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& db = b.locks();
  REQUIRE(b.run(db.acquire("converger", "bbs-0", "", kTtl, kNow)));

  SECTION("another owner collides while the lock is fresh") {
    CHECK(type_of(b.run(db.acquire("converger", "bbs-1", "", kTtl, kNow + kTtl - 1))) ==
          ErrorType::LockCollision);
    CHECK(b.run(db.acquire("auctioneer", "bbs-1", "", kTtl, kNow)));
  }
  SECTION("the owner refreshes it, which extends it") {
    REQUIRE(b.run(db.acquire("converger", "bbs-0", "", kTtl, kNow + 10 * kSecond)));
    CHECK(type_of(b.run(db.acquire("converger", "bbs-1", "", kTtl, kNow + kTtl))) ==
          ErrorType::LockCollision);
    CHECK(b.run(db.acquire("converger", "bbs-1", "", kTtl, kNow + 10 * kSecond + kTtl)));
  }
  SECTION("another owner takes it once it expired, and the old owner then collides") {
    REQUIRE(b.run(db.acquire("converger", "bbs-1", "", kTtl, kNow + kTtl)));
    CHECK(type_of(b.run(db.acquire("converger", "bbs-0", "", kTtl, kNow + kTtl))) ==
          ErrorType::LockCollision);
    CHECK(type_of(b.run(db.release("converger", "bbs-0"))) == ErrorType::ResourceNotFound);
  }
  SECTION("release frees it for others; only the owner may release") {
    CHECK(type_of(b.run(db.release("converger", "bbs-1"))) == ErrorType::ResourceNotFound);
    REQUIRE(b.run(db.release("converger", "bbs-0")));
    CHECK(b.run(db.acquire("converger", "bbs-1", "", kTtl, kNow)));
    CHECK(type_of(b.run(db.release("never-taken", "bbs-0"))) == ErrorType::ResourceNotFound);
  }
}

TEST_CASE("LockDb keeps the holder's value and answers who holds a key", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& db = b.locks();
  CHECK(type_of(b.run(db.get("auctioneer", kNow))) == ErrorType::ResourceNotFound);
  REQUIRE(b.run(db.acquire("auctioneer", "a-0", "http://10.0.0.1:9016", kTtl, kNow)));

  SECTION("get answers the key, the owner and the value while the lock is fresh") {
    auto held = b.run(db.get("auctioneer", kNow + kTtl - 1));
    REQUIRE(held);
    CHECK(*held == LockRecord{"auctioneer", "a-0", "http://10.0.0.1:9016"});
    CHECK(type_of(b.run(db.get("converger", kNow))) == ErrorType::ResourceNotFound);
  }
  SECTION("a refresh replaces the value; a collision leaves it") {
    REQUIRE(b.run(db.acquire("auctioneer", "a-0", "http://10.0.0.1:9017", kTtl, kNow + 1)));
    CHECK(type_of(b.run(db.acquire("auctioneer", "a-1", "http://10.0.0.2:9016", kTtl, kNow + 2))) ==
          ErrorType::LockCollision);
    auto held = b.run(db.get("auctioneer", kNow + 2));
    REQUIRE(held);
    CHECK(*held == LockRecord{"auctioneer", "a-0", "http://10.0.0.1:9017"});
  }
  SECTION("an expired lock is not held; the next owner's value replaces it") {
    CHECK(type_of(b.run(db.get("auctioneer", kNow + kTtl))) == ErrorType::ResourceNotFound);
    REQUIRE(b.run(db.acquire("auctioneer", "a-1", "http://10.0.0.2:9016", kTtl, kNow + kTtl)));
    auto held = b.run(db.get("auctioneer", kNow + kTtl));
    REQUIRE(held);
    CHECK(*held == LockRecord{"auctioneer", "a-1", "http://10.0.0.2:9016"});
  }
  SECTION("a released lock is not held") {
    REQUIRE(b.run(db.release("auctioneer", "a-0")));
    CHECK(type_of(b.run(db.get("auctioneer", kNow))) == ErrorType::ResourceNotFound);
  }
}
