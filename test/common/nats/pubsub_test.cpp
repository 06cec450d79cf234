#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "test/common/nats/nats_test_support.h"

using namespace cupola;
using namespace cupola::nats;
using namespace cupola::nats::test;

TEST_CASE("Subscribers receive what is published", "[integration]") {
  Env env;
  testing::NatsServer server;
  Client publisher(env.io.get_executor(), Env::options_for(server), env.log);
  Client subscriber(env.io.get_executor(), Env::options_for(server), env.log);
  auto test_thread = std::this_thread::get_id();

  SECTION("when messages are published, they arrive in order on the executor thread") {
    Recorder<Message> received(env.io);
    std::vector<std::thread::id> threads;
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(publisher);
      co_await connect_or_fail(subscriber);
      auto sub = subscriber.subscribe("orders.*", [&](Message m) {
        threads.push_back(std::this_thread::get_id());
        received.push(std::move(m));
      });
      REQUIRE(sub.ok());
      REQUIRE((co_await subscriber.flush(5s)).ok());

      for (int i = 0; i < 100; ++i) {
        REQUIRE(publisher.publish("orders.created", std::to_string(i)).ok());
      }
      REQUIRE(co_await received.wait_for(100));
    });
    REQUIRE(received.size() == 100);
    for (int i = 0; i < 100; ++i) {
      CHECK(received.items()[i].subject == "orders.created");
      CHECK(received.items()[i].data == std::to_string(i));
      CHECK(received.items()[i].reply.empty());
    }
    CHECK(std::all_of(threads.begin(), threads.end(), [&](auto id) { return id == test_thread; }));
  }

  SECTION("when unsubscribed, the handler receives nothing more") {
    Recorder<std::string> jobs(env.io);
    Recorder<std::string> sentinel(env.io);
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(publisher);
      co_await connect_or_fail(subscriber);
      auto sub = subscriber.subscribe("jobs", [&](Message m) { jobs.push(m.data); });
      auto last = subscriber.subscribe("sentinel", [&](Message m) { sentinel.push(m.data); });
      REQUIRE(sub.ok());
      REQUIRE(last.ok());
      REQUIRE((co_await subscriber.flush(5s)).ok());
      REQUIRE(publisher.publish("jobs", "first").ok());
      REQUIRE(co_await jobs.wait_for(1));

      sub->unsubscribe();
      CHECK_FALSE(sub->active());
      REQUIRE((co_await subscriber.flush(5s)).ok());
      REQUIRE(publisher.publish("jobs", "second").ok());
      REQUIRE(publisher.publish("sentinel", "done").ok());
      REQUIRE(co_await sentinel.wait_for(1));
    });
    CHECK(jobs.items() == std::vector<std::string>{"first"});
  }

  SECTION("when a handler destroys its own subscription, messages in flight are dropped") {
    int handled = 0;
    Recorder<std::string> sentinel(env.io);
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(publisher);
      co_await connect_or_fail(subscriber);
      std::optional<Subscription> burst;
      auto sub = subscriber.subscribe("burst", [&](Message) {
        ++handled;
        burst.reset();
      });
      REQUIRE(sub.ok());
      burst = std::move(sub).value();
      auto last = subscriber.subscribe("sentinel", [&](Message m) { sentinel.push(m.data); });
      REQUIRE(last.ok());
      REQUIRE((co_await subscriber.flush(5s)).ok());
      for (int i = 0; i < 200; ++i) REQUIRE(publisher.publish("burst", "x").ok());
      REQUIRE(publisher.publish("sentinel", "end").ok());
      REQUIRE(co_await sentinel.wait_for(1));
    });
    CHECK(handled == 1);
  }
}

TEST_CASE("Queue subscribers share the messages", "[integration]") {
  Env env;
  testing::NatsServer server;
  Client publisher(env.io.get_executor(), Env::options_for(server), env.log);
  Client first(env.io.get_executor(), Env::options_for(server), env.log);
  Client second(env.io.get_executor(), Env::options_for(server), env.log);
  Recorder<std::string> all(env.io);
  std::vector<std::string> by_first;
  std::vector<std::string> by_second;
  Recorder<std::string> sentinel(env.io);

  SECTION("when two members are in the group, each message goes to exactly one of them") {
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(publisher);
      co_await connect_or_fail(first);
      co_await connect_or_fail(second);
      auto a = first.queue_subscribe("work", "workers", [&](Message m) {
        by_first.push_back(m.data);
        all.push(m.data);
      });
      auto b = second.queue_subscribe("work", "workers", [&](Message m) {
        by_second.push_back(m.data);
        all.push(m.data);
      });
      auto s1 = first.subscribe("sentinel", [&](Message m) { sentinel.push(m.data); });
      auto s2 = second.subscribe("sentinel", [&](Message m) { sentinel.push(m.data); });
      REQUIRE((a.ok() && b.ok() && s1.ok() && s2.ok()));
      REQUIRE((co_await first.flush(5s)).ok());
      REQUIRE((co_await second.flush(5s)).ok());

      for (int i = 0; i < 100; ++i) REQUIRE(publisher.publish("work", std::to_string(i)).ok());
      REQUIRE(publisher.publish("sentinel", "end").ok());
      REQUIRE(co_await all.wait_for(100));
      REQUIRE(co_await sentinel.wait_for(2));
    });
    CHECK(all.size() == 100);
    std::set<std::string> unique(all.items().begin(), all.items().end());
    CHECK(unique.size() == 100);
    CHECK(by_first.size() + by_second.size() == 100);
    // The server picks members at random: with 100 messages both get some.
    CHECK_FALSE(by_first.empty());
    CHECK_FALSE(by_second.empty());
  }
}
