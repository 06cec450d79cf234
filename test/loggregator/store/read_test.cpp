#include <catch2/catch.hpp>

#include "loggregator/store/envelope_store.h"
#include "test/loggregator/store/store_test_support.h"

using namespace cupola;
using namespace cupola::logstore;
using namespace cupola::logstore::test;

namespace {

constexpr std::int64_t kNow = 10'000;

}  // namespace

TEST_CASE("reading a source as log-cache's read endpoint does") {
  EnvelopeStore store;
  // 0..1999, arriving in batches that interleave slightly, plus gauges at multiples of 100.
  for (std::int64_t base = 0; base < 2000; base += 10) {
    for (std::int64_t t : {5, 6, 7, 8, 9, 0, 1, 2, 3, 4}) {
      store.put(((base + t) % 100 == 0) ? gauge("app", base + t) : line("app", base + t));
    }
  }
  store.put(line("other", 1));
  auto read = [&](ReadQuery q, std::int64_t now = kNow) {
    auto r = store.read("app", q, now);
    REQUIRE(r.ok());
    return timestamps(*r);
  };

  SECTION("when no parameters are given, the oldest 100 come back, oldest first") {
    CHECK(read(ReadQuery{}) == range(0, 100));
  }
  SECTION("when a time range is given, start is inclusive and end exclusive") {
    CHECK(read(ReadQuery{.start_time = 1500, .end_time = 1510}) == range(1500, 1510));
  }
  SECTION("when no end_time is given, it is now") {
    CHECK(read(ReadQuery{.start_time = 1990}, 1995) == range(1990, 1995));
  }
  SECTION("when descending with a limit, the newest `limit` come back, newest first") {
    auto got = read(ReadQuery{.limit = 5, .descending = true});
    CHECK(got == std::vector<std::int64_t>{1999, 1998, 1997, 1996, 1995});
    auto window = read(ReadQuery{.start_time = 10, .end_time = 20, .limit = 3, .descending = true});
    CHECK(window == std::vector<std::int64_t>{19, 18, 17});
  }
  SECTION("when the limit is the maximum, 1000 come back") {
    CHECK(read(ReadQuery{.limit = kMaxReadLimit}) == range(0, 1000));
  }
  SECTION("when envelope types are given, only those come back") {
    ReadQuery q;
    q.envelope_types.add(EnvelopeType::Gauge);
    q.limit = 1000;
    auto gauges = read(q);
    REQUIRE(gauges.size() == 20);
    CHECK(gauges.front() == 0);
    CHECK(gauges.back() == 1900);
    q.envelope_types.add(EnvelopeType::Log);
    CHECK(read(q).size() == 1000);
  }
  SECTION("when the source is unknown, the result is empty") {
    auto r = store.read("nobody", ReadQuery{}, kNow);
    REQUIRE(r.ok());
    CHECK(r->empty());
  }
  SECTION("when the query is invalid, the read fails saying why") {
    for (int limit : {0, -1, 1001}) {
      auto r = store.read("app", ReadQuery{.limit = limit}, kNow);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == make_error_code(Errc::InvalidArgument));
      CHECK(r.error().message.find("limit must be between 1 and 1000") != std::string::npos);
    }
    auto r = store.read("app", ReadQuery{.start_time = 10, .end_time = 5}, kNow);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("start_time (10) must not be after end_time (5)") !=
          std::string::npos);
  }
  SECTION("when reads return envelopes, egress counts them") {
    auto before = store.counters().egress;
    read(ReadQuery{.limit = 7});
    CHECK(store.counters().egress == before + 7);
  }
}
