#include <atomic>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "loggregator/store/envelope_store.h"
#include "test/loggregator/store/store_test_support.h"

using namespace cupola;
using namespace cupola::logstore;
using namespace cupola::logstore::test;

TEST_CASE("TailSink is a bounded queue that drops its oldest") {
  TailSink sink(3);
  int notified = 0;
  sink.on_ready([&] { ++notified; });

  SECTION("when offered within capacity, everything is taken in order") {
    for (int t = 1; t <= 3; ++t) CHECK(sink.offer(ptr(line("s", t))));
    CHECK(notified == 1);
    CHECK(timestamps(sink.take(2)) == std::vector<std::int64_t>{1, 2});
    CHECK(timestamps(sink.take()) == std::vector<std::int64_t>{3});
    CHECK(sink.take().empty());
    sink.offer(ptr(line("s", 4)));
    CHECK(notified == 2);
  }
  SECTION("when full, each offer pushes out the oldest and counts a drop") {
    for (int t = 1; t <= 5; ++t) sink.offer(ptr(line("s", t)));
    CHECK(sink.dropped() == 2);
    CHECK(sink.size() == 3);
    CHECK(timestamps(sink.take()) == std::vector<std::int64_t>{3, 4, 5});
  }
}

TEST_CASE("EnvelopeStore tails a source") {
  EnvelopeStore store;
  for (int t = 1; t <= 5; ++t) store.put(line("app", t));
  store.put(line("other", 3));
  auto sink = std::make_shared<TailSink>(100);

  SECTION(
      "when subscribing from a time, the backlog holds what is stored from then on and the "
      "sink what arrives later") {
    auto tail = store.subscribe("app", 3, sink);
    CHECK(timestamps(tail.backlog) == std::vector<std::int64_t>{3, 4, 5});
    store.put(line("app", 6));
    store.put(line("other", 7));
    store.put(line("app", 2));  // late, and before start_time: neither backlog nor feed
    store.put(line("app", 4));  // late, but after start_time: new, so it is fed
    CHECK(timestamps(sink->take()) == std::vector<std::int64_t>{6, 4});
    CHECK(store.counters().subscribers == 1);
  }
  SECTION("when the backlog is capped, the newest of it are kept") {
    auto tail = store.subscribe("app", 0, sink, 2);
    CHECK(timestamps(tail.backlog) == std::vector<std::int64_t>{4, 5});
  }
  SECTION("when the source has no envelopes yet, the backlog is empty and the feed works") {
    auto tail = store.subscribe("new-app", 0, sink);
    CHECK(tail.backlog.empty());
    store.put(line("new-app", 1));
    CHECK(timestamps(sink->take()) == std::vector<std::int64_t>{1});
  }
  SECTION("when unsubscribed, the sink receives nothing more") {
    auto tail = store.subscribe("app", 0, sink);
    store.unsubscribe(tail.id);
    store.unsubscribe(tail.id);
    store.put(line("app", 9));
    CHECK(sink->size() == 0);
    CHECK(store.counters().subscribers == 0);
  }
  SECTION("when two tails follow a source, each gets every envelope") {
    auto other = std::make_shared<TailSink>(100);
    auto a = store.subscribe("app", 0, sink);
    auto b = store.subscribe("app", 0, other);
    CHECK(a.id != b.id);
    store.put(line("app", 10));
    CHECK(sink->size() == 1);
    CHECK(other->size() == 1);
  }
}

TEST_CASE("a slow tail loses envelopes instead of slowing ingest") {
  EnvelopeStore store;
  auto slow = std::make_shared<TailSink>(10);
  auto tail = store.subscribe("app", 0, slow);
  for (int t = 0; t < 1000; ++t) store.put(line("app", t));

  CHECK(slow->dropped() == 990);
  CHECK(store.counters().subscriber_slow == 990);
  // The tail keeps the newest; the store keeps everything.
  CHECK(timestamps(slow->take()) == range(990, 1000));
  CHECK(store.meta().at("app").count == 1000);
  CHECK(store.counters().ingress == 1000);
}

TEST_CASE("a tail that subscribes while envelopes arrive sees each of them exactly once") {
  // A writer thread stores 0..N-1 while the test subscribes somewhere in the middle: backlog
  // and feed together must hold every envelope once, whichever side of the subscription each
  // landed on.
  constexpr std::int64_t kCount = 50'000;
  int mid_stream = 0;  // rounds in which the subscription landed while the writer ran
  for (int round = 0; round < 5; ++round) {
    EnvelopeStore store;
    auto sink = std::make_shared<TailSink>(kCount);
    std::atomic<std::int64_t> written{0};
    std::thread writer([&] {
      for (std::int64_t t = 0; t < kCount; ++t) {
        store.put(line("app", t));
        written.store(t + 1, std::memory_order_release);
      }
    });
    // Subscribe once the writer is well under way, at a different point each round.
    while (written.load(std::memory_order_acquire) < (round + 1) * kCount / 7) {
      std::this_thread::yield();
    }
    auto stored_before = written.load(std::memory_order_acquire);
    auto tail = store.subscribe("app", 0, sink);
    writer.join();

    INFO("round " << round << ", subscribed after " << tail.backlog.size() << " envelopes");
    CHECK(tail.backlog.size() >= static_cast<std::size_t>(stored_before));
    if (sink->size() > 0) ++mid_stream;
    std::vector<EnvelopePtr> seen = tail.backlog;
    for (auto& e : sink->take()) seen.push_back(std::move(e));
    CHECK(sink->dropped() == 0);
    CHECK(timestamps(seen) == range(0, kCount));
  }
  CHECK(mid_stream > 0);
}
