#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gorouter/route/endpoint_iterator.h"
#include "gorouter/route/registry.h"
#include "gorouter/route/table_slot.h"
#include "test/gorouter/route/helpers.h"

using namespace cupola;
using namespace cupola::router;
using namespace std::chrono_literals;
using cupola::router::test::kStart;
using cupola::router::test::message;
using cupola::router::test::route_of;

TEST_CASE("snapshots of the route table") {
  Registry r;
  (void)r.apply(MessageKind::Register, message({"a.example.com"}, 8080, "i1"), kStart);
  (void)r.apply(MessageKind::Register, message({"b.example.com"}, 8081, "i2"), kStart);
  auto first = r.publish();
  CHECK(first->generation() == 1);

  SECTION("when nothing changed, publishing returns the same snapshot") {
    CHECK(r.publish() == first);
    (void)r.apply(MessageKind::Register, message({"a.example.com"}, 8080, "i1"), kStart + 5s);
    CHECK(r.publish() == first);
  }
  SECTION("when routes change, an old snapshot keeps answering as it did") {
    (void)r.apply(MessageKind::Unregister, message({"a.example.com"}, 8080), kStart);
    (void)r.apply(MessageKind::Register, message({"c.example.com"}, 8082), kStart);
    (void)r.apply(MessageKind::Register, message({"b.example.com"}, 8083), kStart);
    auto second = r.publish();
    CHECK(second->generation() == 2);

    CHECK(route_of(*first, "a.example.com") == "a.example.com");
    CHECK(route_of(*first, "c.example.com").empty());
    CHECK(first->find("b.example.com", "/")->size() == 1);
    CHECK(first->route_count() == 2);

    CHECK(route_of(*second, "a.example.com").empty());
    CHECK(route_of(*second, "c.example.com") == "c.example.com");
    CHECK(second->find("b.example.com", "/")->size() == 2);
    CHECK(second->route_count() == 2);
  }
  SECTION("when an unrelated route changes, endpoints and their statistics carry over") {
    auto before = first->find("a.example.com", "/")->endpoint(0);
    InFlight busy(before);
    before->mark_failed(kStart + 30s);
    (void)r.apply(MessageKind::Register, message({"a.example.com"}, 8090, "i9"), kStart);
    auto second = r.publish();
    auto after = second->find("a.example.com", "/")->find_address("10.0.0.1:8080");
    CHECK(after == before);
    CHECK(after->in_flight() == 1);
    CHECK(after->failed(kStart));
  }
  SECTION("when a slot publishes a new snapshot, a reader's cache picks it up") {
    TableSlot slot;
    SnapshotCache cache(slot);
    CHECK(cache.get().route_count() == 0);
    slot.store(first);
    CHECK(&cache.get() == first.get());
    (void)r.apply(MessageKind::Register, message({"d.example.com"}, 8084), kStart);
    slot.store(r.publish());
    CHECK(route_of(cache.get(), "d.example.com") == "d.example.com");
    CHECK(slot.load()->generation() == 2);
  }
}

// One writer registers, re-registers with new instance ids and unregisters routes while two
// readers look them up through a TableSlot. Every snapshot a reader sees must be whole: route
// i is present in a snapshot exactly when the writer had registered and not yet removed it at
// that snapshot's generation, and its endpoint is the one registered for it.
TEST_CASE("readers and one writer at once") {
  constexpr int kRoutes = 20000;
  constexpr int kWindow = 5000;  // route i is removed when route i + kWindow is added
  constexpr int kPublishEvery = 97;

  Registry registry;
  TableSlot slot;
  // registered[g]: the number of routes added when generation g was published.
  std::vector<std::atomic<int>> added_at(kRoutes / kPublishEvery + 8);
  std::atomic<bool> done{false};
  std::atomic<long> checks{0};
  std::atomic<long> failures{0};

  auto host = [](int i) { return "app-" + std::to_string(i) + ".apps.example.com"; };
  auto port = [](int i) { return static_cast<std::uint16_t>(10000 + i % 50000); };

  auto reader = [&](int seed) {
    SnapshotCache cache(slot);
    unsigned x = static_cast<unsigned>(seed) * 2654435761u + 1;
    while (!done.load(std::memory_order_acquire)) {
      const auto& table = cache.shared();
      auto g = table->generation();
      if (g == 0) continue;
      int added = added_at[g].load(std::memory_order_acquire);
      x = x * 1664525u + 1013904223u;
      int i = static_cast<int>(x % static_cast<unsigned>(added));
      const Pool* p = table->find(host(i), "/index.html?q=1");
      bool expected = i >= added - kWindow;
      bool ok = (p != nullptr) == expected;
      if (p) {
        EndpointIterator it(*p);
        auto e = it.next(kStart);
        ok = ok && p->size() == 1 && e && e->port() == port(i) &&
             e->private_instance_id().starts_with("i" + std::to_string(i) + "-");
      }
      checks.fetch_add(1, std::memory_order_relaxed);
      if (!ok) failures.fetch_add(1, std::memory_order_relaxed);
    }
  };

  std::thread r1(reader, 1);
  std::thread r2(reader, 2);
  for (int i = 0; i < kRoutes; ++i) {
    (void)registry.apply(MessageKind::Register,
                         message({host(i)}, port(i), "i" + std::to_string(i) + "-a"), kStart);
    // A second registration on the same address with a new instance id replaces the first;
    // the third, the same again, only refreshes it.
    for (int k = 0; k < 2; ++k) {
      (void)registry.apply(MessageKind::Register,
                           message({host(i)}, port(i), "i" + std::to_string(i) + "-b"), kStart);
    }
    if (i % 1000 == 0) CHECK(registry.prune(kStart + 1s, true).empty());
    if (i >= kWindow) {
      int old = i - kWindow;
      (void)registry.apply(MessageKind::Unregister, message({host(old)}, port(old)), kStart);
    }
    if (i % kPublishEvery == 0 || i == kRoutes - 1) {
      auto snapshot = registry.publish();
      added_at[snapshot->generation()].store(i + 1, std::memory_order_release);
      slot.store(std::move(snapshot));
    }
  }
  // Let the readers look at the final table for a moment as well.
  while (checks.load() < 20000) std::this_thread::yield();
  done.store(true, std::memory_order_release);
  r1.join();
  r2.join();

  CHECK(failures.load() == 0);
  CHECK(checks.load() >= 20000);
  CHECK(slot.load()->route_count() == kWindow);
}
