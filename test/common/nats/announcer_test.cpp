#include "common/nats/announcer.h"

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "common/json/json.h"
#include "test/common/nats/nats_test_support.h"

using namespace cupola;
using namespace cupola::nats;
using namespace cupola::nats::test;

// A NATS server, a listener on the announce subject and a client for an Announcer to speak on.
struct AnnounceWorld {
  testing::NatsServer server;
  Env env;
  Client listener{env.io.get_executor(), Env::options_for(server), env.log};
  Client speaker{env.io.get_executor(), Env::options_for(server), env.log};
  Recorder<Message> heard{env.io};
  std::optional<Subscription> sub;

  // Connects both clients and listens (run inside env.run).
  boost::asio::awaitable<void> listen() {
    // (Results are bound before asserting: GCC 12 mishandles co_await inside the macros.)
    auto connected = co_await listener.connect();
    REQUIRE(connected.ok());
    auto spoke = co_await speaker.connect();
    REQUIRE(spoke.ok());
    auto s = listener.subscribe(kAnnounceSubject, [this](Message m) { heard.push(std::move(m)); });
    REQUIRE(s.ok());
    sub.emplace(std::move(s).value());
    auto flushed = co_await listener.flush(std::chrono::seconds(5));
    REQUIRE(flushed.ok());
  }
  void close() {
    listener.close();
    speaker.close();
  }
};

TEST_CASE("a process announces itself on NATS at start and then periodically") {
  AnnounceWorld w;
  Announcer announcer(
      w.speaker,
      [] {
        return Announcement{"bbs", 1, "", "127.0.0.1", "http://127.0.0.1:8889/healthz"};
      },
      w.env.log, std::chrono::milliseconds(50));
  w.env.run([&]() -> boost::asio::awaitable<void> {
    co_await w.listen();
    boost::asio::co_spawn(w.env.io, announcer.run(), boost::asio::detached);
    bool three = co_await w.heard.wait_for(3);
    CHECK(three);
    announcer.stop();
    w.close();
  });
  REQUIRE(w.heard.items().size() >= 3);
  auto doc = json::parse(w.heard.items()[0].data);
  REQUIRE(doc.ok());
  CHECK(std::string((*doc)["name"].GetString()) == "bbs");
  CHECK((*doc)["index"].GetInt() == 1);
  CHECK(!doc->HasMember("id"));
  CHECK(std::string((*doc)["health_url"].GetString()) == "http://127.0.0.1:8889/healthz");
}

TEST_CASE("a process announces itself at once when asked on the discover subject") {
  AnnounceWorld w;
  // An hour between announcements: a second one within the test can only be an answer.
  Announcer announcer(
      w.speaker,
      [] {
        return Announcement{"rep", 0, "cell-3", "10.0.0.2", "http://10.0.0.2:1800/healthz"};
      },
      w.env.log, std::chrono::hours(1));
  w.env.run([&]() -> boost::asio::awaitable<void> {
    co_await w.listen();
    boost::asio::co_spawn(w.env.io, announcer.run(), boost::asio::detached);
    bool first = co_await w.heard.wait_for(1);
    CHECK(first);
    // The announcer subscribes before its first announcement is published.
    auto asked = w.listener.publish(kDiscoverSubject, "");
    REQUIRE(asked.ok());
    bool second = co_await w.heard.wait_for(2);
    CHECK(second);
    announcer.stop();
    w.close();
  });
  REQUIRE(w.heard.items().size() == 2);
  auto doc = json::parse(w.heard.items()[1].data);
  REQUIRE(doc.ok());
  CHECK(std::string((*doc)["name"].GetString()) == "rep");
  CHECK(std::string((*doc)["id"].GetString()) == "cell-3");
  CHECK(std::string((*doc)["host"].GetString()) == "10.0.0.2");
}
