#include "loggregator/api/batcher.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::loggregator;
using namespace std::chrono_literals;

namespace {

const TimePoint kT0{std::chrono::seconds{1'700'000'000}};

Envelope line(std::string source, int n, std::size_t size = 0) {
  std::string payload = std::to_string(n);
  if (size > payload.size()) payload.resize(size, '.');
  return make_log(n, std::move(source), "0", "APP/PROC/WEB", std::move(payload));
}

// The payloads' numbers, in order.
std::vector<int> numbers(const std::vector<Envelope>& envelopes) {
  std::vector<int> out;
  for (const auto& e : envelopes) out.push_back(static_cast<int>(e.timestamp));
  return out;
}

}  // namespace

TEST_CASE("LogBatcher flushes a source when its batch fills or has waited long enough") {
  BatcherOptions options;
  options.max_batch_envelopes = 3;
  options.flush_interval = 100ms;
  LogBatcher batcher(options);

  SECTION("when a source reaches max_batch_envelopes, add says so and take returns the batch") {
    CHECK_FALSE(batcher.add(line("app", 1), kT0));
    CHECK_FALSE(batcher.add(line("app", 2), kT0));
    CHECK(batcher.take(kT0).empty());
    CHECK(batcher.add(line("app", 3), kT0));
    auto batches = batcher.take(kT0);
    REQUIRE(batches.size() == 1);
    CHECK(batches[0].source_id == "app");
    CHECK(numbers(batches[0].envelopes) == std::vector<int>{1, 2, 3});
    CHECK(batcher.buffered() == 0);
    CHECK(batcher.buffered_bytes() == 0);
  }
  SECTION("when the flush interval has passed since a source's oldest envelope, it is due") {
    batcher.add(line("app", 1), kT0);
    batcher.add(line("app", 2), kT0 + 50ms);
    CHECK(batcher.take(kT0 + 99ms).empty());
    auto batches = batcher.take(kT0 + 100ms);
    REQUIRE(batches.size() == 1);
    CHECK(numbers(batches[0].envelopes) == std::vector<int>{1, 2});
  }
  SECTION("when one source is due, the others wait") {
    batcher.add(line("old", 1), kT0);
    batcher.add(line("new", 2), kT0 + 90ms);
    auto batches = batcher.take(kT0 + 100ms);
    REQUIRE(batches.size() == 1);
    CHECK(batches[0].source_id == "old");
    CHECK(batcher.buffered() == 1);
    SECTION("and with `all`, every source goes") {
      auto rest = batcher.take(kT0 + 100ms, true);
      REQUIRE(rest.size() == 1);
      CHECK(rest[0].source_id == "new");
    }
  }
  SECTION("when sources interleave, each comes back in its own batches, in arrival order") {
    for (int i = 0; i < 7; ++i) batcher.add(line(i % 2 ? "b" : "a", i), kT0);
    auto batches = batcher.take(kT0, true);
    REQUIRE(batches.size() == 3);  // a: 0 2 4 | 6, b: 1 3 5
    std::map<std::string, std::vector<int>> by_source;
    for (const auto& b : batches) {
      CHECK(b.envelopes.size() <= 3);
      for (int n : numbers(b.envelopes)) by_source[b.source_id].push_back(n);
    }
    CHECK(by_source["a"] == std::vector<int>{0, 2, 4, 6});
    CHECK(by_source["b"] == std::vector<int>{1, 3, 5});
  }
}

TEST_CASE("LogBatcher fills batches up to max_batch_bytes") {
  BatcherOptions options;
  options.max_batch_bytes = 2000;
  LogBatcher batcher(options);
  // Each line encodes to about 500 bytes.
  CHECK_FALSE(batcher.add(line("app", 1, 300), kT0));
  CHECK_FALSE(batcher.add(line("app", 2, 300), kT0));
  CHECK_FALSE(batcher.add(line("app", 3, 300), kT0));
  int added = 3;
  bool full = false;
  while (!full && added < 10) full = batcher.add(line("app", ++added, 300), kT0);
  CHECK(full);
  CHECK(added == 4);

  SECTION("when flushed, each encoded batch is within max_batch_bytes and on logs.<source_id>") {
    for (int i = added + 1; i < 30; ++i) batcher.add(line("app", i, 300), kT0);
    auto batches = batcher.flush(kT0, true);
    REQUIRE(batches.size() > 1);
    std::vector<int> all;
    for (const auto& b : batches) {
      CHECK(b.subject == "logs.app");
      CHECK(b.payload.size() <= 2000);
      auto decoded = decode_batch(b.payload);
      REQUIRE(decoded.ok());
      CHECK(decoded->size() == b.envelopes);
      for (int n : numbers(*decoded)) all.push_back(n);
    }
    std::vector<int> expected;
    for (int i = 1; i < 30; ++i) expected.push_back(i);
    CHECK(all == expected);
  }
  SECTION("when an envelope cannot fit in any batch, flush leaves it out and counts it") {
    batcher.take(kT0, true);
    batcher.add(line("app", 1, 5000), kT0);
    batcher.add(line("app", 2, 10), kT0);
    auto batches = batcher.flush(kT0, true);
    REQUIRE(batches.size() == 1);
    CHECK(batches[0].envelopes == 1);
    CHECK(batcher.dropped_too_large() == 1);
  }
}

TEST_CASE("LogBatcher drops the oldest envelopes when its buffer is full") {
  BatcherOptions options;
  options.max_buffered_envelopes = 5;
  options.max_batch_envelopes = 100;
  LogBatcher batcher(options);

  SECTION("when over max_buffered_envelopes, the oldest of any source go first and are counted") {
    for (int i = 0; i < 8; ++i) batcher.add(line(i % 2 ? "b" : "a", i), kT0);
    CHECK(batcher.dropped() == 3);
    CHECK(batcher.buffered() == 5);
    auto batches = batcher.take(kT0, true);
    std::map<std::string, std::vector<int>> by_source;
    for (const auto& b : batches) by_source[b.source_id] = numbers(b.envelopes);
    CHECK(by_source["a"] == std::vector<int>{4, 6});
    CHECK(by_source["b"] == std::vector<int>{3, 5, 7});
  }
  SECTION("when a source loses all its envelopes, it is no longer flushed") {
    batcher.add(line("gone", 0), kT0);
    for (int i = 1; i <= 5; ++i) batcher.add(line("kept", i), kT0);
    auto batches = batcher.take(kT0, true);
    REQUIRE(batches.size() == 1);
    CHECK(batches[0].source_id == "kept");
    CHECK(numbers(batches[0].envelopes) == std::vector<int>{1, 2, 3, 4, 5});
  }
  SECTION("when over max_buffered_bytes, the oldest go too") {
    BatcherOptions by_bytes;
    by_bytes.max_buffered_bytes = 3 * approximate_size(line("a", 0, 1000)) + 100;
    LogBatcher small(by_bytes);
    for (int i = 0; i < 6; ++i) small.add(line("a", i, 1000), kT0);
    CHECK(small.dropped() == 3);
    CHECK(small.buffered() == 3);
    CHECK(small.buffered_bytes() <= by_bytes.max_buffered_bytes);
    auto batches = small.take(kT0, true);
    REQUIRE(batches.size() == 1);
    CHECK(numbers(batches[0].envelopes) == std::vector<int>{3, 4, 5});
  }
  SECTION("when drained and refilled, the counts start from what is buffered") {
    for (int i = 0; i < 5; ++i) batcher.add(line("a", i), kT0);
    batcher.take(kT0, true);
    for (int i = 0; i < 5; ++i) batcher.add(line("a", i), kT0);
    CHECK(batcher.dropped() == 0);
    CHECK(batcher.buffered() == 5);
  }
}
