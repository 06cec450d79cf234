#include <optional>
#include <string>

#include "test/common/nats/nats_test_support.h"

using namespace cupola;
using namespace cupola::nats;
using namespace cupola::nats::test;

TEST_CASE("The client survives a server restart", "[integration]") {
  Env env;
  testing::NatsServer server;
  Client client(env.io.get_executor(), Env::options_for(server), env.log);
  Recorder<ConnectionEvent> events(env.io);
  Recorder<std::string> received(env.io);
  client.on_connection_event([&](ConnectionEvent e) { events.push(e); });

  SECTION("when the server restarts, events fire and subscriptions and publishes resume") {
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(client);
      auto sub = client.subscribe("jobs", [&](Message m) { received.push(m.data); });
      REQUIRE(sub.ok());
      REQUIRE(client.publish("jobs", "before").ok());
      REQUIRE(co_await received.wait_for(1));

      server.stop();
      REQUIRE(co_await events.wait_for(1));
      CHECK(events.items()[0] == ConnectionEvent::Disconnected);
      CHECK_FALSE(client.connected());
      // Kept in the reconnect buffer and sent once the connection is back.
      REQUIRE(client.publish("jobs", "while-down").ok());

      server.start();
      REQUIRE(co_await events.wait_for(2));
      CHECK(events.items()[1] == ConnectionEvent::Reconnected);
      CHECK(client.connected());
      REQUIRE(co_await received.wait_for(2));

      // Another connection's publish reaches the resumed subscription.
      Client other(env.io.get_executor(), Env::options_for(server), env.log);
      co_await connect_or_fail(other);
      REQUIRE((co_await client.flush(5s)).ok());
      REQUIRE(other.publish("jobs", "after").ok());
      REQUIRE(co_await received.wait_for(3));
    });
    CHECK(received.items() == std::vector<std::string>{"before", "while-down", "after"});
    CHECK(events.size() == 2);
    CHECK(env.sink->contains_message("test.nats.disconnected"));
    CHECK(env.sink->contains_message("test.nats.reconnected"));
  }
}

TEST_CASE("Connecting waits for the server", "[integration]") {
  Env env;

  SECTION("when the server starts late, connect retries until it is up") {
    testing::NatsServer server(testing::NatsServer::Start::Later);
    Client client(env.io.get_executor(), Env::options_for(server), env.log);
    Recorder<Status> connected(env.io);
    Recorder<std::string> received(env.io);
    env.run([&]() -> asio::awaitable<void> {
      asio::co_spawn(
          env.io, [&]() -> asio::awaitable<void> { connected.push(co_await client.connect()); },
          asio::detached);
      REQUIRE(co_await wait_until(
          [&] { return env.sink->contains_message("test.nats.connect.retrying"); }, 5s));
      CHECK(client.status() == ConnectionStatus::Connecting);
      CHECK_FALSE(client.publish("early", "x").ok());

      server.start();
      REQUIRE(co_await connected.wait_for(1));
      REQUIRE(connected.items()[0].ok());
      CHECK(client.connected());
      auto sub = client.subscribe("late", [&](Message m) { received.push(m.data); });
      REQUIRE(sub.ok());
      REQUIRE(client.publish("late", "hello").ok());
      REQUIRE(co_await received.wait_for(1));
    });
    CHECK(received.items() == std::vector<std::string>{"hello"});
  }

  SECTION("when no server comes up in time, connect fails naming the server") {
    testing::NatsServer server(testing::NatsServer::Start::Later);
    auto options = Env::options_for(server);
    options.connect_retry_for = 300ms;
    Client client(env.io.get_executor(), options, env.log);
    env.run([&]() -> asio::awaitable<void> {
      auto connected = co_await client.connect();
      REQUIRE_FALSE(connected.ok());
      CHECK(connected.error().code == Errc::Unavailable);
      CHECK(connected.error().message.find(server.url()) != std::string::npos);
      CHECK(client.status() == ConnectionStatus::Disconnected);
    });
  }

  SECTION("when the client is closed while connecting, connect returns cancelled") {
    testing::NatsServer server(testing::NatsServer::Start::Later);
    Client client(env.io.get_executor(), Env::options_for(server), env.log);
    Recorder<Status> connected(env.io);
    env.run([&]() -> asio::awaitable<void> {
      asio::co_spawn(
          env.io, [&]() -> asio::awaitable<void> { connected.push(co_await client.connect()); },
          asio::detached);
      REQUIRE(co_await wait_until(
          [&] { return env.sink->contains_message("test.nats.connect.retrying"); }, 5s));
      client.close();
      REQUIRE(co_await connected.wait_for(1));
    });
    REQUIRE_FALSE(connected.items()[0].ok());
    CHECK(connected.items()[0].error().code == Errc::Cancelled);
    CHECK(client.status() == ConnectionStatus::Closed);
  }
}

TEST_CASE("The client shuts down cleanly", "[integration]") {
  Env env;
  testing::NatsServer server;
  Client publisher(env.io.get_executor(), Env::options_for(server), env.log);
  Recorder<std::string> sentinel(env.io);

  SECTION("when drained, buffered work completes and the connection closes") {
    Client client(env.io.get_executor(), Env::options_for(server), env.log);
    Recorder<ConnectionEvent> events(env.io);
    client.on_connection_event([&](ConnectionEvent e) { events.push(e); });
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(client);
      auto sub = client.subscribe("drained", [&](Message m) { sentinel.push(m.data); });
      REQUIRE(sub.ok());
      REQUIRE(client.publish("drained", "last words").ok());
      auto drained = co_await client.drain(5s);
      INFO((drained.ok() ? std::string() : drained.error().describe()));
      REQUIRE(drained.ok());
      CHECK(client.status() == ConnectionStatus::Closed);
      CHECK(client.publish("drained", "too late").error().code == Errc::Unavailable);
      REQUIRE(co_await events.wait_for(2));
    });
    CHECK(sentinel.items() == std::vector<std::string>{"last words"});
    // Closing the socket counts as a disconnect too; closed always comes last.
    CHECK(events.items() ==
          std::vector<ConnectionEvent>{ConnectionEvent::Disconnected, ConnectionEvent::Closed});
  }

  SECTION("when a handler closes the client, nothing deadlocks and no handler runs after") {
    Client client(env.io.get_executor(), Env::options_for(server), env.log);
    int handled = 0;
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(publisher);
      co_await connect_or_fail(client);
      auto sub = client.subscribe("stop", [&](Message) {
        ++handled;
        client.close();
      });
      REQUIRE(sub.ok());
      REQUIRE((co_await client.flush(5s)).ok());
      for (int i = 0; i < 100; ++i) REQUIRE(publisher.publish("stop", "x").ok());
      REQUIRE(co_await wait_until([&] { return client.status() == ConnectionStatus::Closed; }, 5s));
      CHECK_FALSE(sub->active());
    });
    CHECK(handled == 1);
  }

  SECTION("when a handler destroys the client, messages in flight are dropped") {
    std::optional<Client> client;
    client.emplace(env.io.get_executor(), Env::options_for(server), env.log);
    Client watcher(env.io.get_executor(), Env::options_for(server), env.log);
    int handled = 0;
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(publisher);
      co_await connect_or_fail(*client);
      co_await connect_or_fail(watcher);
      std::optional<Subscription> sub;
      auto subscribed = client->subscribe("burst", [&](Message) {
        ++handled;
        client.reset();
      });
      REQUIRE(subscribed.ok());
      sub = std::move(subscribed).value();
      auto last = watcher.subscribe("sentinel", [&](Message m) { sentinel.push(m.data); });
      REQUIRE(last.ok());
      REQUIRE((co_await client->flush(5s)).ok());
      REQUIRE((co_await watcher.flush(5s)).ok());
      for (int i = 0; i < 200; ++i) REQUIRE(publisher.publish("burst", "x").ok());
      REQUIRE(publisher.publish("sentinel", "end").ok());
      REQUIRE(co_await sentinel.wait_for(1));
      REQUIRE(co_await wait_until([&] { return !client.has_value(); }, 5s));
      CHECK_FALSE(sub->active());
    });
    env.io.poll();
    CHECK(handled == 1);
  }
}
