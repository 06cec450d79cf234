#include "loggregator/api/log_client.h"

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "loggregator/api/codec.h"
#include "test/common/nats/nats_test_support.h"

using namespace cupola;
using namespace cupola::loggregator;
using namespace cupola::nats::test;

namespace {

// What a consumer on logs.> received, decoded: each source's payloads in arrival order.
struct Received {
  std::mutex mu;
  std::map<std::string, std::vector<std::string>> by_source;
  std::size_t total = 0;
  std::size_t batches = 0;
  std::vector<std::string> problems;

  void add(const nats::Message& m) {
    auto batch = decode_batch(m.data);
    std::lock_guard lock(mu);
    ++batches;
    if (!batch) {
      problems.push_back(batch.error().message);
      return;
    }
    for (const auto& e : *batch) {
      if (m.subject != "logs." + e.source_id) problems.push_back("subject " + m.subject);
      if (!e.log() || e.tags.at("source_type") != "APP/PROC/WEB" || e.timestamp == 0) {
        problems.push_back("unexpected envelope " + encode_envelope(e));
        continue;
      }
      by_source[e.source_id].push_back(e.log()->payload);
      ++total;
    }
  }
  std::size_t count() {
    std::lock_guard lock(mu);
    return total;
  }
};

std::vector<std::string> numbered(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back("line " + std::to_string(i));
  return out;
}

// Emits lines "line 0".."line <count-1>" for each source, interleaving the sources.
void emit_lines(LogClient& client, std::vector<std::string> sources, int count) {
  for (int i = 0; i < count; ++i) {
    for (const auto& s : sources) {
      client.emit(make_log(0, s, "0", "APP/PROC/WEB", "line " + std::to_string(i)));
    }
  }
}

}  // namespace

TEST_CASE("LogClient publishes every line on logs.<source_id>, in order per source",
          "[integration]") {
  Env env;
  testing::NatsServer server;
  nats::Client producer(env.io.get_executor(), Env::options_for(server), env.log);
  nats::Client consumer(env.io.get_executor(), Env::options_for(server), env.log);
  BatcherOptions options;
  options.max_buffered_envelopes = 20'000;
  options.flush_interval = 20ms;
  LogClient logs(env.io.get_executor(), producer, env.clock, options, env.log);
  Received received;
  bool all_arrived = false;
  bool run_ended = false;

  env.run([&]() -> asio::awaitable<void> {
    co_await connect_or_fail(producer);
    co_await connect_or_fail(consumer);
    auto sub = consumer.subscribe("logs.>", [&](nats::Message m) { received.add(m); });
    REQUIRE(sub.ok());
    auto subscribed = co_await consumer.flush(5s);
    REQUIRE(subscribed.ok());
    asio::co_spawn(env.io, logs.run(), [&](std::exception_ptr) { run_ended = true; });

    // 10,000 lines from two producer threads, two sources each.
    std::thread first([&] { emit_lines(logs, {"app-a", "app-b"}, 2500); });
    std::thread second([&] { emit_lines(logs, {"app-c", "app-d"}, 2500); });
    auto everything = [&] { return received.count() >= 10'000; };
    all_arrived = co_await wait_until(everything, 30s);
    first.join();
    second.join();

    logs.stop();
    auto ended = [&] { return run_ended; };
    co_await wait_until(ended, 5s);
  });

  CHECK(all_arrived);
  CHECK(run_ended);
  CHECK(received.problems.empty());
  CHECK(received.total == 10'000);
  for (std::string source : {"app-a", "app-b", "app-c", "app-d"}) {
    INFO(source);
    CHECK(received.by_source[source] == numbered(0, 2500));
  }
  auto stats = logs.stats();
  CHECK(stats.emitted == 10'000);
  CHECK(stats.sent == 10'000);
  CHECK(stats.dropped == 0);
  CHECK(stats.buffered == 0);
  // Lines travel in batches, not one message each.
  CHECK(stats.batches == received.batches);
  CHECK(stats.batches < 2'000);
}

TEST_CASE("LogClient drops the oldest lines when producers outrun it", "[integration]") {
  Env env;
  testing::NatsServer server;
  nats::Client producer(env.io.get_executor(), Env::options_for(server), env.log);
  nats::Client consumer(env.io.get_executor(), Env::options_for(server), env.log);
  BatcherOptions options;
  options.max_buffered_envelopes = 100;
  options.max_batch_envelopes = 1000;
  options.flush_interval = 10ms;
  LogClient logs(env.io.get_executor(), producer, env.clock, options, env.log);
  Received received;
  LogClientStats before_flush;
  bool arrived = false;

  env.run([&]() -> asio::awaitable<void> {
    co_await connect_or_fail(producer);
    co_await connect_or_fail(consumer);
    auto sub = consumer.subscribe("logs.>", [&](nats::Message m) { received.add(m); });
    REQUIRE(sub.ok());
    auto subscribed = co_await consumer.flush(5s);
    REQUIRE(subscribed.ok());
    asio::co_spawn(env.io, logs.run(), asio::detached);

    // The flush loop shares this thread: nothing goes out until the burst is over.
    emit_lines(logs, {"app"}, 1000);
    before_flush = logs.stats();
    auto hundred = [&] { return received.count() >= 100; };
    arrived = co_await wait_until(hundred, 10s);
    logs.stop();
  });

  CHECK(before_flush.emitted == 1000);
  CHECK(before_flush.dropped_buffer_full == 900);
  CHECK(before_flush.buffered == 100);
  REQUIRE(arrived);
  // The newest 100 survive, in order.
  CHECK(received.by_source["app"] == numbered(900, 1000));
  auto stats = logs.stats();
  CHECK(stats.sent == 100);
  CHECK(stats.dropped == 900);
  CHECK(stats.dropped_buffer_full == 900);
}

TEST_CASE("LogClient counts what it cannot send", "[integration]") {
  Env env;
  testing::NatsServer server(testing::NatsServer::Start::Later);
  nats::Client never_connected(env.io.get_executor(), Env::options_for(server), env.log);
  LogClient logs(env.io.get_executor(), never_connected, env.clock, BatcherOptions{}, env.log);
  LogClientStats stats;
  bool ended = false;

  env.run([&]() -> asio::awaitable<void> {
    asio::co_spawn(env.io, logs.run(), [&](std::exception_ptr) { ended = true; });
    CHECK_FALSE(logs.emit(make_log(0, "bad source", "0", "APP/PROC/WEB", "x")));
    CHECK_FALSE(logs.emit(make_log(0, "", "0", "APP/PROC/WEB", "x")));
    CHECK(logs.emit(make_log(0, "app", "0", "APP/PROC/WEB", "x")));
    CHECK(logs.emit(make_log(0, "app", "0", "APP/PROC/WEB", "y")));
    logs.stop();
    auto run_ended = [&] { return ended; };
    co_await wait_until(run_ended, 5s);
    CHECK_FALSE(logs.emit(make_log(0, "app", "0", "APP/PROC/WEB", "after stop")));
    stats = logs.stats();
  });

  CHECK(stats.emitted == 2);
  CHECK(stats.dropped_invalid == 3);
  CHECK(stats.dropped_publish == 2);  // not connected
  CHECK(stats.sent == 0);
  CHECK(stats.dropped == 5);
  CHECK(env.sink->contains_message("test.log-client.publish-failed"));
}
