#include <catch2/catch.hpp>

#include "gorouter/route/registry.h"
#include "gorouter/route/route_table.h"
#include "test/gorouter/route/helpers.h"

using namespace cupola;
using namespace cupola::router;
using cupola::router::test::kStart;
using cupola::router::test::message;
using cupola::router::test::route_of;

namespace {

struct Table {
  Registry registry;
  std::uint16_t next_port = 8000;

  void add(std::string uri) {
    auto r = registry.apply(MessageKind::Register, message({std::move(uri)}, next_port++), kStart);
    REQUIRE(r.ignored == 0);
  }
  const RouteTable& published() { return *registry.publish(); }
};

}  // namespace

TEST_CASE("looking up a request's route") {
  Table t;

  SECTION("when the host matches, case and port in the Host header do not matter") {
    t.add("dora.apps.example.com");
    const auto& table = t.published();
    CHECK(route_of(table, "dora.apps.example.com") == "dora.apps.example.com");
    CHECK(route_of(table, "DORA.Apps.Example.com") == "dora.apps.example.com");
    CHECK(route_of(table, "dora.apps.example.com:8080") == "dora.apps.example.com");
    CHECK(route_of(table, "dora.apps.example.com", "/any/path?x=1") == "dora.apps.example.com");
    CHECK(route_of(table, "other.apps.example.com").empty());
    CHECK(route_of(table, "").empty());
  }
  SECTION("when routes have paths, the longest one on a segment boundary wins") {
    t.add("shop.example.com");
    t.add("shop.example.com/api");
    t.add("shop.example.com/api/v2");
    const auto& table = t.published();
    CHECK(route_of(table, "shop.example.com", "/") == "shop.example.com");
    CHECK(route_of(table, "shop.example.com", "/apis") == "shop.example.com");
    CHECK(route_of(table, "shop.example.com", "/api") == "shop.example.com/api");
    CHECK(route_of(table, "shop.example.com", "/api/v1/users") == "shop.example.com/api");
    CHECK(route_of(table, "shop.example.com", "/API/V2/users?q=1") == "shop.example.com/api/v2");
    CHECK(route_of(table, "shop.example.com", "/api/v2/") == "shop.example.com/api/v2");
  }
  SECTION("when only a path route exists, other paths of the host find nothing") {
    t.add("docs.example.com/guide");
    const auto& table = t.published();
    CHECK(route_of(table, "docs.example.com", "/guide/intro") == "docs.example.com/guide");
    CHECK(route_of(table, "docs.example.com", "/").empty());
    CHECK(route_of(table, "docs.example.com", "/guidebook").empty());
  }
  SECTION("when a host has no route, wildcards are tried from the most specific") {
    t.add("*.wild.card");
    t.add("*.outer.wild.card");
    t.add("not.wild.card");
    const auto& table = t.published();
    CHECK(route_of(table, "not.wild.card") == "not.wild.card");
    CHECK(route_of(table, "foo.wild.card") == "*.wild.card");
    CHECK(route_of(table, "foo.outer.wild.card") == "*.outer.wild.card");
    CHECK(route_of(table, "a.b.outer.wild.card") == "*.outer.wild.card");
    CHECK(route_of(table, "foo.space.wild.card") == "*.wild.card");
    CHECK(route_of(table, "wild.card").empty());
    CHECK(route_of(table, "card").empty());
  }
  SECTION("when the exact host has no matching path, a wildcard with one is used") {
    t.add("api.example.com/v1");
    t.add("*.example.com");
    const auto& table = t.published();
    CHECK(route_of(table, "api.example.com", "/v1/x") == "api.example.com/v1");
    CHECK(route_of(table, "api.example.com", "/v2") == "*.example.com");
  }
  SECTION("when a wildcard has a path, the path rule applies to it too") {
    t.add("*.example.com/static");
    const auto& table = t.published();
    CHECK(route_of(table, "cdn.example.com", "/static/app.js") == "*.example.com/static");
    CHECK(route_of(table, "cdn.example.com", "/index.html").empty());
  }
  SECTION("when paths carry percent-escapes, they match as written and are never decoded") {
    t.add("enc.example.com/a%2Fb");
    t.add("enc.example.com/caf\xc3\xa9");
    const auto& table = t.published();
    CHECK(route_of(table, "enc.example.com", "/a%2fb/c") == "enc.example.com/a%2fb");
    CHECK(route_of(table, "enc.example.com", "/a/b").empty());
    CHECK(route_of(table, "enc.example.com", "/caf%C3%A9") == "enc.example.com/caf%c3%a9");
    CHECK(route_of(table, "enc.example.com", "/caf\xc3\xa9/menu") == "enc.example.com/caf%c3%a9");
    CHECK(route_of(table, "enc.example.com", "/a%2").empty());
  }
  SECTION("when many hosts share the table, each finds its own route") {
    for (int i = 0; i < 3000; ++i) t.add("app-" + std::to_string(i) + ".apps.example.com");
    const auto& table = t.published();
    CHECK(table.route_count() == 3000);
    for (int i = 0; i < 3000; i += 7) {
      std::string host = "app-" + std::to_string(i) + ".apps.example.com";
      REQUIRE(route_of(table, host) == host);
    }
    CHECK(route_of(table, "app-3000.apps.example.com").empty());
  }
  SECTION("when found, lookup() shares the pool so it outlives the snapshot") {
    t.add("keep.example.com");
    std::shared_ptr<const Pool> pool;
    {
      auto snapshot = t.registry.publish();
      pool = snapshot->lookup("keep.example.com", "/");
    }
    t.registry = Registry{};
    REQUIRE(pool);
    CHECK(pool->route() == "keep.example.com");
    CHECK(pool->size() == 1);
  }
}
