#include <string>
#include <utility>

#include "test/common/nats/nats_test_support.h"

using namespace cupola;
using namespace cupola::nats;
using namespace cupola::nats::test;

TEST_CASE("Requests get replies", "[integration]") {
  Env env;
  testing::NatsServer server;
  Client requester(env.io.get_executor(), Env::options_for(server), env.log);
  Client responder(env.io.get_executor(), Env::options_for(server), env.log);

  SECTION("when a responder answers, the request returns its reply") {
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(requester);
      co_await connect_or_fail(responder);
      auto sub = responder.subscribe(
          "echo", [&](Message m) { CHECK(responder.respond(m, "re:" + m.data).ok()); });
      REQUIRE(sub.ok());
      REQUIRE((co_await responder.flush(5s)).ok());

      auto reply = co_await requester.request("echo", "hello", 5s);
      INFO((reply.ok() ? std::string() : reply.error().describe()));
      REQUIRE(reply.ok());
      CHECK(reply->data == "re:hello");
    });
  }

  SECTION("when the subscriber never answers, the request times out naming the subject") {
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(requester);
      co_await connect_or_fail(responder);
      int seen = 0;
      auto sub = responder.subscribe("silent", [&](Message) { ++seen; });
      REQUIRE(sub.ok());
      REQUIRE((co_await responder.flush(5s)).ok());

      auto started = std::chrono::steady_clock::now();
      auto reply = co_await requester.request("silent", "anyone?", 200ms);
      REQUIRE_FALSE(reply.ok());
      CHECK(reply.error().code == Errc::Timeout);
      CHECK(reply.error().message == "no reply to the request on \"silent\" within 200ms");
      CHECK(std::chrono::steady_clock::now() - started >= 200ms);
      CHECK(seen == 1);
    });
  }

  SECTION("when nobody subscribes, the request fails with no responders") {
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(requester);
      auto reply = co_await requester.request("nobody.home", "hello?", 5s);
      REQUIRE_FALSE(reply.ok());
      CHECK(reply.error().code == Errc::Unavailable);
      CHECK(reply.error().message == "no responders for the request on \"nobody.home\"");
    });
  }

  SECTION("when requests run concurrently, each gets its own answer") {
    constexpr int kRequests = 10;
    Recorder<std::pair<int, Result<Message>>> replies(env.io);
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(requester);
      co_await connect_or_fail(responder);
      // Answers only once every request has arrived, in reverse order.
      std::vector<Message> held;
      auto sub = responder.subscribe("square", [&](Message m) {
        held.push_back(std::move(m));
        if (held.size() < kRequests) return;
        for (auto it = held.rbegin(); it != held.rend(); ++it) {
          int n = std::stoi(it->data);
          CHECK(responder.respond(*it, std::to_string(n * n)).ok());
        }
      });
      REQUIRE(sub.ok());
      REQUIRE((co_await responder.flush(5s)).ok());

      for (int i = 0; i < kRequests; ++i) {
        asio::co_spawn(
            env.io,
            [&requester, &replies, i]() -> asio::awaitable<void> {
              auto reply = co_await requester.request("square", std::to_string(i), 10s);
              replies.push({i, std::move(reply)});
            },
            asio::detached);
      }
      REQUIRE(co_await replies.wait_for(kRequests));
    });
    REQUIRE(replies.size() == kRequests);
    for (const auto& [i, reply] : replies.items()) {
      INFO("request " << i);
      REQUIRE(reply.ok());
      CHECK(reply->data == std::to_string(i * i));
    }
  }

  SECTION("when the client closes, requests in flight fail as cancelled") {
    Recorder<Result<Message>> replies(env.io);
    env.run([&]() -> asio::awaitable<void> {
      co_await connect_or_fail(requester);
      co_await connect_or_fail(responder);
      auto sub = responder.subscribe("slow", [&](Message) { requester.close(); });
      REQUIRE(sub.ok());
      REQUIRE((co_await responder.flush(5s)).ok());
      asio::co_spawn(
          env.io,
          [&]() -> asio::awaitable<void> {
            replies.push(co_await requester.request("slow", "x", 10s));
          },
          asio::detached);
      REQUIRE(co_await replies.wait_for(1));
    });
    REQUIRE_FALSE(replies.items()[0].ok());
    CHECK(replies.items()[0].error().code == Errc::Cancelled);
  }
}
