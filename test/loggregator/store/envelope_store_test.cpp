#include "loggregator/store/envelope_store.h"

#include <catch2/catch.hpp>

#include "loggregator/api/codec.h"
#include "test/loggregator/store/store_test_support.h"

using namespace cupola;
using namespace cupola::logstore;
using namespace cupola::logstore::test;

namespace {

constexpr std::int64_t kNow = 1'000'000;

std::vector<std::int64_t> stored(const EnvelopeStore& store, const std::string& source) {
  ReadQuery q;
  q.limit = kMaxReadLimit;
  auto r = store.read(source, q, kNow);
  REQUIRE(r.ok());
  return timestamps(*r);
}

// What one envelope made by line() costs in the store's accounting.
std::size_t unit_bytes() {
  EnvelopeStore probe;
  probe.put(line("a", 1));
  return probe.counters().bytes;
}

}  // namespace

TEST_CASE("EnvelopeStore bounds each source by count") {
  EnvelopeStore store(StoreOptions{.max_per_source = 5});

  SECTION("when a source holds max_per_source, each new envelope evicts its oldest") {
    for (int t = 1; t <= 8; ++t) CHECK(store.put(line("app", t)));
    CHECK(stored(store, "app") == range(4, 9));
    auto meta = store.meta();
    CHECK(meta.at("app") == SourceMeta{5, 3, 4, 8});
    auto c = store.counters();
    CHECK(c.ingress == 8);
    CHECK(c.evicted_source_limit == 3);
    CHECK(c.evicted_memory == 0);
    CHECK(c.envelopes == 5);
  }
  SECTION("when a late envelope is older than everything in a full ring, it is the one evicted") {
    for (int t = 4; t <= 8; ++t) store.put(line("app", t));
    store.put(line("app", 2));
    CHECK(stored(store, "app") == range(4, 9));
    store.put(line("app", 6));
    CHECK(stored(store, "app") == std::vector<std::int64_t>{5, 6, 6, 7, 8});
    CHECK(store.meta().at("app").expired == 2);
  }
  SECTION("when other sources fill up, a source keeps its own envelopes") {
    store.put(line("quiet", 1));
    for (int t = 1; t <= 100; ++t) store.put(line("noisy", t));
    CHECK(stored(store, "quiet") == std::vector<std::int64_t>{1});
    CHECK(store.meta().at("quiet") == SourceMeta{1, 0, 1, 1});
  }
}

TEST_CASE("EnvelopeStore bounds all sources together by memory") {
  const std::size_t unit = unit_bytes();
  EnvelopeStore store(StoreOptions{.max_bytes = 10 * unit});
  for (int t = 100; t < 105; ++t) store.put(line("a", t));
  for (int t = 1; t <= 5; ++t) store.put(line("b", t));
  REQUIRE(store.counters().bytes == 10 * unit);
  REQUIRE(store.counters().evicted_memory == 0);

  SECTION(
      "when over the cap, the oldest data of the store goes, whichever source got the new "
      "envelope") {
    store.put(line("a", 105));
    CHECK(stored(store, "a") == range(100, 106));
    CHECK(stored(store, "b") == range(2, 6));
    CHECK(store.meta().at("b") == SourceMeta{4, 1, 2, 5});
    auto c = store.counters();
    CHECK(c.evicted_memory == 1);
    CHECK(c.bytes == 10 * unit);
  }
  SECTION("when a source loses every envelope to the cap, it is forgotten") {
    for (int t = 200; t < 206; ++t) store.put(line("c", t));
    auto meta = store.meta();
    CHECK(meta.count("b") == 0);
    CHECK(meta.at("a") == SourceMeta{4, 1, 101, 104});
    CHECK(meta.at("c") == SourceMeta{6, 0, 200, 205});
    CHECK(stored(store, "b").empty());
    auto c = store.counters();
    CHECK(c.evicted_memory == 6);
    CHECK(c.sources == 2);
    CHECK(c.envelopes == 10);
  }
  SECTION("when an envelope arrives with an old timestamp, it is the first to go") {
    store.put(line("a", 0));
    CHECK(stored(store, "a") == range(100, 105));
    CHECK(stored(store, "b") == range(1, 6));
    CHECK(store.counters().evicted_memory == 1);
  }
}

TEST_CASE("EnvelopeStore reports meta and counters as log-cache does") {
  EnvelopeStore store;
  SECTION("when nothing was stored, meta is empty") { CHECK(store.meta().empty()); }
  SECTION("when envelopes arrive out of order, oldest and newest are by timestamp") {
    for (int t : {50, 10, 90, 30}) store.put(line("app", t));
    store.put(gauge("other", 7));
    auto meta = store.meta();
    CHECK(meta.at("app") == SourceMeta{4, 0, 10, 90});
    CHECK(meta.at("other") == SourceMeta{1, 0, 7, 7});
  }
  SECTION("when an envelope has no source_id, it is refused and counted") {
    loggregator::Envelope e = line("", 1);
    CHECK_FALSE(store.put(e));
    CHECK_FALSE(store.put(EnvelopePtr{}));
    CHECK(store.counters().invalid == 2);
    CHECK(store.counters().ingress == 0);
  }
}

TEST_CASE("EnvelopeStore ingests batches as published on NATS") {
  EnvelopeStore store;
  SECTION("when a batch decodes, every envelope is stored") {
    std::vector<loggregator::Envelope> batch{line("app", 3), line("app", 1), gauge("app", 2)};
    auto n = store.ingest(loggregator::encode_batch(batch));
    REQUIRE(n.ok());
    CHECK(*n == 3);
    CHECK(stored(store, "app") == range(1, 4));
    CHECK(store.counters().ingress == 3);
  }
  SECTION("when a batch does not decode, nothing of it is kept and it is counted") {
    auto n = store.ingest(R"({"batch":[{"source_id":"app","log":{}},{"log":{}}]})");
    REQUIRE_FALSE(n.ok());
    CHECK(n.error().message.find("batch[1].source_id") != std::string::npos);
    CHECK(store.meta().empty());
    store.count_decode_error(2);
    CHECK(store.counters().decode_error == 3);
  }
}
