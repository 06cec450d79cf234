// cupola-router end to end: routing by the registrations on a real nats-server.
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "test/integration/router_fixture.h"

using namespace cupola;
using namespace cupola::test::router;

TEST_CASE("the router routes registered hosts and follows registrations") {
  testing::NatsServer nats;
  RouterProcess router(nats);
  Publisher emitter(nats.url());
  auto a = backend("backend-a");
  auto b = backend("backend-b");
  unsigned short a_port = a->port();

  // Unknown routes are Cloud Foundry's 404.
  auto unknown = router.get("nothing.example.com");
  CHECK(unknown.result_int() == 404);
  CHECK(unknown["X-Cf-Routererror"] == "unknown_route");
  CHECK(unknown.body() ==
        "404 Not Found: Requested route ('nothing.example.com') does not exist.\n");

  emitter.publish("router.register", registration("app.example.com", a->port(), "inst-a"));
  REQUIRE(eventually([&] { return router.get("app.example.com").result_int() == 200; }, 5s));
  auto res = router.get("app.example.com:8080", "/hello?x=1");
  CHECK(res.result_int() == 200);
  std::string body = res.body();
  INFO(body);
  CHECK(body.find("backend-a /hello?x=1") == 0);
  CHECK(body.find("xff=127.0.0.1") != std::string::npos);
  CHECK(body.find("instance=inst-a") != std::string::npos);
  CHECK(body.find(std::string("app=") + kAppGuid) != std::string::npos);
  CHECK(body.find("proto=http") != std::string::npos);
  CHECK(body.find("host=app.example.com:8080") != std::string::npos);
  CHECK(body.find("request_id=") != std::string::npos);

  // Two backends share the load.
  emitter.publish("router.register", registration("app.example.com", b->port(), "inst-b"));
  std::set<std::string> seen;
  REQUIRE(eventually(
      [&] {
        auto r = router.get("app.example.com");
        seen.insert(r.body().substr(0, 9));
        return seen.size() == 2;
      },
      5s));

  // A backend that dies costs no client error: the request goes to the other one.
  a->stop();
  for (int i = 0; i < 20; ++i) {
    auto r = router.get("app.example.com");
    INFO(r.body());
    CHECK(r.result_int() == 200);
    CHECK(r.body().find("backend-b") == 0);
  }

  // Unregistered, the route is gone.
  emitter.publish("router.unregister", registration("app.example.com", a_port, "inst-a"));
  emitter.publish("router.unregister", registration("app.example.com", b->port(), "inst-b"));
  CHECK(eventually([&] { return router.get("app.example.com").result_int() == 404; }, 5s));

  // A route not heard of for its stale threshold is pruned.
  emitter.publish("router.register", registration("ttl.example.com", b->port(), "inst-b", 1));
  REQUIRE(eventually([&] { return router.get("ttl.example.com").result_int() == 200; }, 5s));
  CHECK(eventually([&] { return router.get("ttl.example.com").result_int() == 404; }, 10s));
}

TEST_CASE("the router refuses ambiguous requests and streams bodies") {
  testing::NatsServer nats;
  RouterProcess router(nats);
  Publisher emitter(nats.url());
  auto a = backend("backend-a");
  emitter.publish("router.register", registration("app.example.com", a->port(), "inst-a"));
  REQUIRE(eventually([&] { return router.get("app.example.com").result_int() == 200; }, 5s));

  SECTION("Content-Length with Transfer-Encoding is a 400, never forwarded") {
    BlockingClient client(router.port);
    std::string raw =
        "POST / HTTP/1.1\r\nHost: app.example.com\r\nContent-Length: 5\r\n"
        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    asio::write(client.socket(), asio::buffer(raw));
    auto res = client.read();
    CHECK(res.result_int() == 400);
  }
  SECTION("a chunked upload arrives whole") {
    BlockingClient client(router.port);
    http::Request req{http::Verb::post, "/upload", 11};
    req.set(http::bhttp::field::host, "app.example.com");
    req.chunked(true);
    req.body() = std::string(100'000, 'x');
    auto res = client.request(std::move(req));
    CHECK(res.result_int() == 200);
    CHECK(res.body().find("body=100000") != std::string::npos);
  }
  SECTION("keep-alive: many requests on one connection") {
    BlockingClient client(router.port);
    for (int i = 0; i < 50; ++i) {
      http::Request req{http::Verb::get, "/n" + std::to_string(i), 11};
      req.set(http::bhttp::field::host, "app.example.com");
      auto res = client.request(std::move(req));
      REQUIRE(res.result_int() == 200);
      CHECK(res.body().find("/n" + std::to_string(i)) != std::string::npos);
    }
  }
  SECTION("the status port answers /health and guards /routes") {
    BlockingClient client(router.status_port);
    CHECK(client.get("/health").result_int() == 200);
    BlockingClient client2(router.status_port);
    CHECK(client2.get("/routes").result_int() == 401);
    BlockingClient client3(router.status_port);
    http::Request req{http::Verb::get, "/routes", 11};
    req.set(http::bhttp::field::authorization, "Basic YWRtaW46c2VjcmV0");
    auto routes = client3.request(std::move(req));
    CHECK(routes.result_int() == 200);
    CHECK(routes.body().find("app.example.com") != std::string::npos);
    BlockingClient client4(router.status_port);
    CHECK(client4.get("/varz").result_int() == 401);
    BlockingClient client5(router.status_port);
    http::Request varz{http::Verb::get, "/varz", 11};
    varz.set(http::bhttp::field::authorization, "Basic YWRtaW46c2VjcmV0");
    auto metrics = client5.request(std::move(varz));
    CHECK(metrics.result_int() == 200);
    CHECK(metrics.body().find("router.requests") != std::string::npos);
  }
}

TEST_CASE("routes stay while NATS is away and the router syncs when it is back") {
  testing::NatsServer nats;
  RouterProcess router(nats);
  auto a = backend("backend-a");
  {
    Publisher emitter(nats.url());
    emitter.publish("router.register", registration("app.example.com", a->port(), "inst-a", 1));
    REQUIRE(eventually([&] { return router.get("app.example.com").result_int() == 200; }, 5s));
    // Heard of just now: the outage below starts well within the 1 s threshold.
    emitter.publish("router.register", registration("app.example.com", a->port(), "inst-a", 1));
  }
  nats.stop();
  // Well past the route's 1 s threshold: not pruned while NATS is unreachable.
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(300ms);
    REQUIRE(router.get("app.example.com").result_int() == 200);
  }
  nats.start();
  Publisher emitter(nats.url());
  // Back in sync: a new route registered after the outage is served.
  auto b = backend("backend-b");
  CHECK(eventually(
      [&] {
        emitter.publish("router.register", registration("new.example.com", b->port(), "inst-b"));
        return router.get("new.example.com").result_int() == 200;
      },
      20s));
}
