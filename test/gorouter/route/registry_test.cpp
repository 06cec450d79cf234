#include "gorouter/route/registry.h"

#include <catch2/catch.hpp>

#include "test/gorouter/route/helpers.h"

using namespace cupola;
using namespace cupola::router;
using namespace std::chrono_literals;
using cupola::router::test::kStart;
using cupola::router::test::message;
using cupola::router::test::route_of;
using Kind = RouteChange::Kind;

namespace {

std::vector<std::string> addresses(const RouteTable& table, std::string_view host,
                                   std::string_view path = "/") {
  std::vector<std::string> out;
  if (const Pool* p = table.find(host, path)) {
    for (std::size_t i = 0; i < p->size(); ++i) out.emplace_back(p->endpoint(i)->address());
  }
  return out;
}

bool has(const std::vector<RouteChange>& changes, Kind kind, std::string_view route,
         std::string_view address = "") {
  for (const auto& c : changes) {
    if (c.kind == kind && c.route == route && c.address == address) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("registering routes") {
  Registry r;

  SECTION("when a new route is registered, it is added with its endpoint") {
    auto res =
        r.apply(MessageKind::Register, message({"a.example.com", "b.example.com/x"}, 8080), kStart);
    CHECK(has(res.changes, Kind::RouteAdded, "a.example.com"));
    CHECK(has(res.changes, Kind::EndpointAdded, "a.example.com", "10.0.0.1:8080"));
    CHECK(has(res.changes, Kind::EndpointAdded, "b.example.com/x", "10.0.0.1:8080"));
    CHECK(r.table().route_count() == 2);
    CHECK(r.table().endpoint_count() == 2);
    CHECK(r.last_update() == kStart);
    CHECK(r.pending());
  }
  SECTION("when the same registration comes again, nothing changes but its freshness") {
    (void)r.apply(MessageKind::Register, message({"a.example.com"}, 8080, "i1"), kStart);
    (void)r.publish();
    auto res = r.apply(MessageKind::Register, message({"a.example.com"}, 8080, "i1"), kStart + 20s);
    CHECK(res.changes.empty());
    CHECK(res.refreshed == 1);
    CHECK_FALSE(r.pending());
    CHECK(r.last_update() == kStart + 20s);
  }
  SECTION("when a route gets a second endpoint, both are kept in order") {
    (void)r.apply(MessageKind::Register, message({"a.example.com"}, 8080), kStart);
    (void)r.apply(MessageKind::Register, message({"A.example.com"}, 8081), kStart);
    CHECK(r.table().route_count() == 1);
    CHECK(addresses(r.table(), "a.example.com") ==
          std::vector<std::string>{"10.0.0.1:8080", "10.0.0.1:8081"});
  }
  SECTION("when a reused port registers with another instance id, it replaces the old endpoint") {
    (void)r.apply(MessageKind::Register, message({"old.example.com"}, 8080, "old-instance"),
                  kStart);
    auto res = r.apply(MessageKind::Register, message({"old.example.com"}, 8080, "new-instance"),
                       kStart + 1s);
    CHECK(has(res.changes, Kind::EndpointUpdated, "old.example.com", "10.0.0.1:8080"));
    const Pool* p = r.table().find("old.example.com", "/");
    REQUIRE(p);
    REQUIRE(p->size() == 1);
    CHECK(p->endpoint(0)->private_instance_id() == "new-instance");
    CHECK(r.table().endpoint_count() == 1);
  }
  SECTION("when tls_port is set, the endpoint is the TLS port") {
    auto m = message({"tls.example.com"}, 8080);
    m.tls_port = 8443;
    (void)r.apply(MessageKind::Register, m, kStart);
    auto e = r.table().find("tls.example.com", "/")->endpoint(0);
    CHECK(e->address() == "10.0.0.1:8443");
    CHECK(e->tls());
  }
  SECTION("when the stale threshold is absent or above the router's, the router's applies") {
    auto m = message({"a.example.com"}, 8080);
    (void)r.apply(MessageKind::Register, m, kStart);
    m.uris = {"b.example.com"};
    m.stale_threshold_in_seconds = 500;
    (void)r.apply(MessageKind::Register, m, kStart);
    m.uris = {"c.example.com"};
    m.stale_threshold_in_seconds = 30;
    (void)r.apply(MessageKind::Register, m, kStart);
    CHECK(r.table().find("a.example.com", "/")->endpoint(0)->stale_threshold() == 120s);
    CHECK(r.table().find("b.example.com", "/")->endpoint(0)->stale_threshold() == 120s);
    CHECK(r.table().find("c.example.com", "/")->endpoint(0)->stale_threshold() == 30s);
    CHECK(r.options().retry_after_failure() == 30s);
  }
  SECTION("when a registration asks for least-connection, the pool switches to it") {
    auto m = message({"a.example.com"}, 8080);
    (void)r.apply(MessageKind::Register, m, kStart);
    m.port = 8081;
    m.load_balancing = "least-connection";
    (void)r.apply(MessageKind::Register, m, kStart);
    CHECK(r.table().find("a.example.com", "/")->load_balancing() == LoadBalancing::LeastConnection);
    m.port = 8082;
    m.load_balancing = "bogus";
    (void)r.apply(MessageKind::Register, m, kStart);
    CHECK(r.table().find("a.example.com", "/")->load_balancing() == LoadBalancing::LeastConnection);
  }
  SECTION("when the route service changes, the pool reports the newest") {
    auto m = message({"rs.example.com"}, 8080);
    m.route_service_url = "https://rs-1";
    (void)r.apply(MessageKind::Register, m, kStart);
    m.port = 8081;
    m.route_service_url = "https://rs-2";
    (void)r.apply(MessageKind::Register, m, kStart);
    CHECK(r.table().find("rs.example.com", "/")->route_service_url() == "https://rs-2");
  }
  SECTION("when http2 is disabled, http2 registrations are served as http1") {
    Registry no_h2(RegistryOptions{.enable_http2 = false});
    auto m = message({"h2.example.com"}, 8080);
    m.protocol = "http2";
    (void)no_h2.apply(MessageKind::Register, m, kStart);
    (void)r.apply(MessageKind::Register, m, kStart);
    CHECK(no_h2.table().find("h2.example.com", "/")->endpoint(0)->protocol() == Protocol::Http1);
    CHECK(r.table().find("h2.example.com", "/")->endpoint(0)->protocol() == Protocol::Http2);
  }
}

TEST_CASE("routing table sharding by isolation segment") {
  auto m = message({"seg.example.com"}, 8080);
  auto shared = message({"shared.example.com"}, 8081);
  m.isolation_segment = "is1";
  auto other = message({"other.example.com"}, 8082);
  other.isolation_segment = "is2";

  SECTION("when the mode is segments, only the listed segments are served") {
    Registry r(
        RegistryOptions{.sharding_mode = ShardingMode::Segments, .isolation_segments = {"is1"}});
    (void)r.apply(MessageKind::Register, m, kStart);
    CHECK(r.apply(MessageKind::Register, shared, kStart).ignored == 1);
    CHECK(r.apply(MessageKind::Register, other, kStart).ignored == 1);
    CHECK(r.table().route_count() == 1);
  }
  SECTION("when the mode is shared-and-segments, the shared segment is served too") {
    Registry r(RegistryOptions{.sharding_mode = ShardingMode::SharedAndSegments,
                               .isolation_segments = {"is1"}});
    (void)r.apply(MessageKind::Register, m, kStart);
    (void)r.apply(MessageKind::Register, shared, kStart);
    (void)r.apply(MessageKind::Register, other, kStart);
    CHECK(r.table().route_count() == 2);
    CHECK(route_of(r.table(), "other.example.com").empty());
  }
}

TEST_CASE("unregistering routes") {
  Registry r;
  (void)r.apply(MessageKind::Register, message({"a.example.com", "a.example.com/v1"}, 8080, "i1"),
                kStart);
  (void)r.apply(MessageKind::Register, message({"a.example.com"}, 8081, "i2"), kStart);

  SECTION("when one endpoint of a route goes, the others stay") {
    auto res = r.apply(MessageKind::Unregister, message({"a.example.com"}, 8080, "i1"), kStart);
    CHECK(has(res.changes, Kind::EndpointRemoved, "a.example.com", "10.0.0.1:8080"));
    CHECK(addresses(r.table(), "a.example.com") == std::vector<std::string>{"10.0.0.1:8081"});
    CHECK(route_of(r.table(), "a.example.com", "/v1") == "a.example.com/v1");
  }
  SECTION("when the last endpoint goes, the route goes, and only the exact uri") {
    auto res = r.apply(MessageKind::Unregister, message({"a.example.com/v1"}, 8080), kStart);
    CHECK(has(res.changes, Kind::RouteRemoved, "a.example.com/v1"));
    CHECK(route_of(r.table(), "a.example.com", "/v1") == "a.example.com");
    CHECK(r.table().route_count() == 1);
  }
  SECTION("when the uri differs in case or carries a query, it still matches") {
    (void)r.apply(MessageKind::Unregister, message({"A.Example.com/V1?x=y"}, 8080), kStart);
    CHECK(r.table().route_count() == 1);
  }
  SECTION("when the instance id names another instance, the endpoint stays") {
    auto res =
        r.apply(MessageKind::Unregister, message({"a.example.com"}, 8080, "someone-else"), kStart);
    CHECK(res.changes.empty());
    CHECK(res.ignored == 1);
    CHECK(addresses(r.table(), "a.example.com").size() == 2);
  }
  SECTION("when the route or endpoint is unknown, nothing happens") {
    auto res = r.apply(MessageKind::Unregister, message({"nope.example.com"}, 8080), kStart);
    CHECK(res.ignored == 1);
    res = r.apply(MessageKind::Unregister, message({"a.example.com"}, 9999), kStart);
    CHECK(res.ignored == 1);
    CHECK(r.table().endpoint_count() == 3);
  }
  SECTION("when every route goes, the table is empty") {
    (void)r.apply(MessageKind::Unregister, message({"a.example.com", "a.example.com/v1"}, 8080),
                  kStart);
    (void)r.apply(MessageKind::Unregister, message({"a.example.com"}, 8081), kStart);
    CHECK(r.table().route_count() == 0);
    CHECK(r.table().endpoint_count() == 0);
    CHECK(r.routes_json() == "{}");
  }
}

TEST_CASE("pruning stale routes") {
  Registry r;
  (void)r.apply(MessageKind::Register, message({"a.example.com"}, 8080), kStart);
  auto short_lived = message({"a.example.com", "b.example.com"}, 8081);
  short_lived.stale_threshold_in_seconds = 30;
  (void)r.apply(MessageKind::Register, short_lived, kStart);
  auto tls = message({"tls.example.com"}, 1);
  tls.tls_port = 8443;
  (void)r.apply(MessageKind::Register, tls, kStart);
  (void)r.publish();

  SECTION("when an endpoint is not re-registered within its threshold, it is pruned") {
    CHECK(r.prune(kStart + 30s, true).empty());
    auto pruned = r.prune(kStart + 31s, true);
    CHECK(has(pruned, Kind::EndpointPruned, "a.example.com", "10.0.0.1:8081"));
    CHECK(has(pruned, Kind::EndpointPruned, "b.example.com", "10.0.0.1:8081"));
    CHECK(has(pruned, Kind::RouteRemoved, "b.example.com"));
    CHECK(addresses(r.table(), "a.example.com") == std::vector<std::string>{"10.0.0.1:8080"});
    CHECK(r.pending());
    pruned = r.prune(kStart + 121s, true);
    CHECK(has(pruned, Kind::RouteRemoved, "a.example.com"));
  }
  SECTION("when a route is re-registered in time, it survives") {
    (void)r.apply(MessageKind::Register, message({"a.example.com"}, 8080), kStart + 100s);
    (void)r.prune(kStart + 121s, true);
    CHECK(addresses(r.table(), "a.example.com") == std::vector<std::string>{"10.0.0.1:8080"});
  }
  SECTION("when an endpoint is TLS, pruning leaves it to unregistration") {
    (void)r.prune(kStart + 1h, true);
    CHECK(route_of(r.table(), "tls.example.com") == "tls.example.com");
    CHECK(r.table().route_count() == 1);
  }
  SECTION("when NATS is unreachable, nothing is pruned") {
    CHECK(r.prune(kStart + 1h, false).empty());
    CHECK(r.pruning_suspended());
    CHECK(r.table().route_count() == 3);
    SECTION("and when it is back, every route gets a full threshold from then") {
      CHECK(r.prune(kStart + 2h, true).empty());
      CHECK_FALSE(r.pruning_suspended());
      CHECK(r.prune(kStart + 2h + 30s, true).empty());
      auto pruned = r.prune(kStart + 2h + 31s, true);
      CHECK(has(pruned, Kind::RouteRemoved, "b.example.com"));
      CHECK(r.table().route_count() == 2);
    }
  }
  SECTION("when a snapshot was published before the prune, it still has the pruned routes") {
    auto before = r.published();
    (void)r.prune(kStart + 1h, true);
    auto after = r.publish();
    CHECK(route_of(*before, "b.example.com") == "b.example.com");
    CHECK(route_of(*after, "b.example.com").empty());
  }
}

TEST_CASE("the /routes document") {
  Registry r;
  auto m = message({"foo.example.com"}, 1234, "iid");
  m.host = "192.168.1.1";
  m.protocol = "http2";
  m.route_service_url = "https://my-routeService.com";
  (void)r.apply(MessageKind::Register, m, kStart);
  auto tagged = message({"bar.example.com/path"}, 5678);
  tagged.tags = std::map<std::string, std::string>{{"component", "route-emitter"}, {"zz", "1"}};
  tagged.isolation_segment = "is1";
  tagged.server_cert_domain_san = "san";
  tagged.load_balancing = "least-connection";
  tagged.availability_zone = "z1";
  tagged.stale_threshold_in_seconds = 60;
  (void)r.apply(MessageKind::Register, tagged, kStart);

  SECTION("when rendered, it has gorouter's shape, routes sorted") {
    CHECK(
        r.routes_json() ==
        R"({"bar.example.com/path":[{"address":"10.0.0.1:5678","availability_zone":"z1",)"
        R"("protocol":"http1","tls":false,"ttl":60,"tags":{"component":"route-emitter","zz":"1"},)"
        R"("isolation_segment":"is1","server_cert_domain_san":"san",)"
        R"("load_balancing_algorithm":"least-connection"}],)"
        R"("foo.example.com":[{"address":"192.168.1.1:1234","availability_zone":"",)"
        R"("protocol":"http2","tls":false,"ttl":120,)"
        R"("route_service_url":"https://my-routeService.com","tags":null,)"
        R"("private_instance_id":"iid"}]})");
  }
}
