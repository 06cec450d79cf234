#include <catch2/catch.hpp>

#include "common/http/client/client.h"
#include "test/common/http/client/client_fixture.h"
#include "test/common/http/client/test_server.h"

namespace cupola::http {

using namespace std::chrono_literals;
using testing::ClientFixture;
using testing::Reply;
using testing::TestServer;
using testing::WireRequest;

namespace {

Reply ok(const WireRequest&, std::size_t) { return Reply{.body = "ok"}; }

std::vector<boost::asio::awaitable<Result<ClientResponse>>> gets(Client& client, std::string url,
                                                                 int n) {
  std::vector<boost::asio::awaitable<Result<ClientResponse>>> ops;
  for (int i = 0; i < n; ++i) ops.push_back(client.get(url));
  return ops;
}

}  // namespace

TEST_CASE("Client keep-alive pool", "[integration]") {
  TestServer server(ok);

  SECTION("when 100 requests run one after another, they share one connection") {
    ClientFixture f;
    for (int i = 0; i < 100; ++i) {
      auto r = f.run(f.client.get(server.url("/n")));
      REQUIRE(r.ok());
      REQUIRE(r->body == "ok");
    }
    CHECK(server.requests() == 100);
    CHECK(server.accepted() == 1);
    CHECK(f.client.idle_connections() == 1);
  }

  SECTION("when requests run concurrently, each in-flight request has its own connection") {
    ClientFixture f;
    for (int round = 0; round < 5; ++round) {
      for (auto& r : f.run_all(gets(f.client, server.url("/c"), 4))) REQUIRE(r.ok());
    }
    CHECK(server.requests() == 20);
    CHECK(server.accepted() == 4);
    CHECK(f.client.idle_connections() == 4);
  }

  SECTION("when more connections finish than may idle, the extra ones are closed") {
    ClientOptions options;
    options.max_idle_per_host = 2;
    ClientFixture f(options);
    for (auto& r : f.run_all(gets(f.client, server.url("/c"), 4))) REQUIRE(r.ok());
    CHECK(f.client.idle_connections() == 2);
    CHECK(server.wait_closed(2, 5s));
    for (auto& r : f.run_all(gets(f.client, server.url("/c"), 4))) REQUIRE(r.ok());
    CHECK(server.accepted() == 6);
  }

  SECTION("when idle connections are closed by the client, the next request reconnects") {
    ClientFixture f;
    REQUIRE(f.run(f.client.get(server.url("/a"))).ok());
    f.client.close_idle();
    CHECK(f.client.idle_connections() == 0);
    REQUIRE(f.run(f.client.get(server.url("/b"))).ok());
    CHECK(server.accepted() == 2);
  }

  SECTION("when the idle timeout is zero, connections are never reused") {
    ClientOptions options;
    options.idle_timeout = 0ms;
    ClientFixture f(options);
    REQUIRE(f.run(f.client.get(server.url("/a"))).ok());
    REQUIRE(f.run(f.client.get(server.url("/b"))).ok());
    CHECK(server.accepted() == 2);
  }

  SECTION("when origins differ, their pools are separate") {
    TestServer other(ok);
    ClientFixture f;
    for (int i = 0; i < 3; ++i) {
      REQUIRE(f.run(f.client.get(server.url("/a"))).ok());
      REQUIRE(f.run(f.client.get(other.url("/b"))).ok());
    }
    CHECK(server.accepted() == 1);
    CHECK(other.accepted() == 1);
    CHECK(f.client.idle_connections() == 2);
  }
}

TEST_CASE("Client stale pooled connections", "[integration]") {
  SECTION("when the server closed an idle pooled connection, the next requests succeed") {
    TestServer server(
        [](const WireRequest&, std::size_t) { return Reply{.body = "ok", .close_after = true}; });
    ClientFixture f;
    REQUIRE(f.run(f.client.get(server.url("/1"))).ok());
    REQUIRE(server.wait_closed(1, 5s));
    auto get = f.run(f.client.get(server.url("/2")));
    REQUIRE(get.ok());
    CHECK(get->body == "ok");
    REQUIRE(server.wait_closed(2, 5s));
    auto post = f.run(f.client.post(server.url("/3"), "x", "text/plain"));
    REQUIRE(post.ok());
    CHECK(server.accepted() == 3);
  }

  // The server answers the first request on each connection and drops the connection on
  // the second without answering: what a client sees when the server closed a keep-alive
  // connection just as the request went out.
  TestServer server([](const WireRequest&, std::size_t index) {
    Reply r{.body = "ok"};
    if (index > 0) r.kind = Reply::Kind::CloseWithoutAnswer;
    return r;
  });
  ClientFixture f;
  REQUIRE(f.run(f.client.get(server.url("/first"))).ok());

  SECTION("when an idempotent request meets such a connection, it is retried on a new one") {
    auto r = f.run(f.client.get(server.url("/again")));
    REQUIRE(r.ok());
    CHECK(r->body == "ok");
    CHECK(server.accepted() == 2);
    CHECK(f.sink->contains_message("test.http-client.retry-on-new-connection"));
  }

  SECTION("when a POST meets such a connection, it is not resent and fails Unavailable") {
    auto r = f.run(f.client.post(server.url("/create"), "x", "text/plain"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::Unavailable);
    CHECK_THAT(r.error().message, Catch::Contains("POST " + server.url("/create")));
    CHECK(server.accepted() == 1);
  }
}

}  // namespace cupola::http
