#include <string>

#include "test/common/nats/nats_test_support.h"

using namespace cupola;
using namespace cupola::nats;
using namespace cupola::nats::test;

TEST_CASE("The client refuses what the server would not accept", "[integration]") {
  Env env;
  testing::NatsServer server;
  Client client(env.io.get_executor(), Env::options_for(server), env.log);

  SECTION("when not connected yet, publish and subscribe fail as unavailable") {
    auto published = client.publish("a.b", "x");
    REQUIRE_FALSE(published.ok());
    CHECK(published.error().code == Errc::Unavailable);
    CHECK(published.error().message == "the NATS client is not connected");
    auto sub = client.subscribe("a.b", [](Message) {});
    REQUIRE_FALSE(sub.ok());
    CHECK(sub.error().code == Errc::Unavailable);
    CHECK(client.max_payload() == 0);
  }

  SECTION("when a subject is invalid, the error says why") {
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(client);
      auto spaced = client.publish("router register", "{}");
      REQUIRE_FALSE(spaced.ok());
      CHECK(spaced.error().code == Errc::InvalidArgument);
      CHECK(spaced.error().message ==
            "invalid subject \"router register\": it contains whitespace or a control character");

      auto empty_token = client.subscribe("logs..app", [](Message) {});
      REQUIRE_FALSE(empty_token.ok());
      CHECK(empty_token.error().message == "invalid subject \"logs..app\": token 2 is empty");

      auto bad_reply = client.publish("a.b", "x", "reply to");
      REQUIRE_FALSE(bad_reply.ok());
      CHECK(bad_reply.error().code == Errc::InvalidArgument);

      auto bad_queue = client.queue_subscribe("a.b", "", [](Message) {});
      REQUIRE_FALSE(bad_queue.ok());
      CHECK(bad_queue.error().message == "invalid queue group \"\": it is empty");

      auto request = co_await client.request("a.*", "x", 1s);
      REQUIRE_FALSE(request.ok());
      CHECK(request.error().code == Errc::InvalidArgument);
    });
  }

  SECTION("when a payload exceeds the server's maximum, publish fails and the client goes on") {
    Recorder<std::string> received(env.io);
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(client);
      REQUIRE(client.max_payload() > 0);
      auto sub = client.subscribe("big", [&](Message m) { received.push(m.data); });
      REQUIRE(sub.ok());

      std::string too_big(client.max_payload() + 1, 'x');
      auto published = client.publish("big", too_big);
      REQUIRE_FALSE(published.ok());
      CHECK(published.error().code == Errc::LimitExceeded);
      CHECK(published.error().message.find("exceeds the server's limit") != std::string::npos);

      std::string largest(client.max_payload(), 'y');
      REQUIRE(client.publish("big", largest).ok());
      REQUIRE(co_await received.wait_for(1));
      CHECK(received.items()[0].size() == largest.size());
      CHECK(client.connected());
    });
  }

  SECTION("when a message has no reply subject, respond says so") {
    auto responded = client.respond(Message{"a.b", "", "x"}, "answer");
    REQUIRE_FALSE(responded.ok());
    CHECK(responded.error().message == "the message on \"a.b\" has no reply subject");
  }
}
