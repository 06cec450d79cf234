#include "loggregator/store/source_ring.h"

#include <algorithm>
#include <random>

#include <catch2/catch.hpp>

#include "test/loggregator/store/store_test_support.h"

using namespace cupola;
using namespace cupola::logstore;
using namespace cupola::logstore::test;

namespace {

std::vector<EnvelopePtr> all(const SourceRing& ring, bool descending = false) {
  std::vector<EnvelopePtr> out;
  ring.collect(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
               EnvelopeTypeSet{}, ring.size(), descending, out);
  return out;
}

}  // namespace

TEST_CASE("SourceRing keeps envelopes in timestamp order") {
  SourceRing ring;

  SECTION("when envelopes arrive in order, they are kept in order") {
    for (int t = 1; t <= 5; ++t) ring.insert(ptr(line("s", t)), 10);
    CHECK(timestamps(all(ring)) == range(1, 6));
    CHECK(ring.size() == 5);
    CHECK(ring.bytes() == 50);
    CHECK(ring.oldest_timestamp() == 1);
    CHECK(ring.newest_timestamp() == 5);
  }
  SECTION("when envelopes arrive late, a little or a lot, they take their place") {
    for (int t : {10, 20, 30, 25, 5, 31, 29, 1}) ring.insert(ptr(line("s", t)), 1);
    CHECK(timestamps(all(ring)) == std::vector<std::int64_t>{1, 5, 10, 20, 25, 29, 30, 31});
    CHECK(timestamps(all(ring, true)) == std::vector<std::int64_t>{31, 30, 29, 25, 20, 10, 5, 1});
  }
  SECTION("when envelopes arrive shuffled, they still read sorted") {
    std::vector<std::int64_t> ts = range(0, 2000);
    std::mt19937 rng(7);
    std::shuffle(ts.begin(), ts.end(), rng);
    for (auto t : ts) ring.insert(ptr(line("s", t)), 1);
    CHECK(timestamps(all(ring)) == range(0, 2000));
  }
  SECTION("when timestamps are equal, arrival order is kept") {
    auto a = ptr(loggregator::make_log(7, "s", "0", "X", "first"));
    auto b = ptr(loggregator::make_log(7, "s", "0", "X", "second"));
    ring.insert(ptr(line("s", 9)), 1);
    ring.insert(a, 1);
    ring.insert(b, 1);
    auto got = all(ring);
    REQUIRE(got.size() == 3);
    CHECK(got[0] == a);
    CHECK(got[1] == b);
  }
  SECTION("when the oldest is popped, the next oldest is at the front") {
    for (int t : {3, 1, 2}) ring.insert(ptr(line("s", t)), 4);
    auto popped = ring.pop_oldest();
    CHECK(popped.timestamp == 1);
    CHECK(popped.bytes == 4);
    CHECK(ring.oldest_timestamp() == 2);
    CHECK(ring.bytes() == 8);
  }
}

TEST_CASE("SourceRing collects a time range") {
  SourceRing ring;
  for (int t = 0; t < 10; ++t) ring.insert(ptr(t % 3 == 0 ? gauge("s", t) : line("s", t)), 1);

  auto collect = [&](std::int64_t start, std::int64_t end, std::size_t limit, bool descending,
                     EnvelopeTypeSet types = {}) {
    std::vector<EnvelopePtr> out;
    ring.collect(start, end, types, limit, descending, out);
    return timestamps(out);
  };
  SECTION("when ascending, start is inclusive, end exclusive, and the first `limit` come back") {
    CHECK(collect(2, 6, 100, false) == std::vector<std::int64_t>{2, 3, 4, 5});
    CHECK(collect(2, 6, 2, false) == std::vector<std::int64_t>{2, 3});
    CHECK(collect(6, 6, 100, false).empty());
    CHECK(collect(7, 3, 100, false).empty());
  }
  SECTION("when descending, the newest `limit` come back, newest first") {
    CHECK(collect(2, 6, 100, true) == std::vector<std::int64_t>{5, 4, 3, 2});
    CHECK(collect(0, 10, 3, true) == std::vector<std::int64_t>{9, 8, 7});
  }
  SECTION("when filtered by type, the limit counts matching envelopes only") {
    EnvelopeTypeSet gauges;
    gauges.add(EnvelopeType::Gauge);
    CHECK(collect(0, 10, 100, false, gauges) == std::vector<std::int64_t>{0, 3, 6, 9});
    CHECK(collect(0, 10, 2, true, gauges) == std::vector<std::int64_t>{9, 6});
    EnvelopeTypeSet events;
    events.add(EnvelopeType::Event);
    CHECK(collect(0, 10, 100, false, events).empty());
  }
}
