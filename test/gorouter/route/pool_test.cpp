#include "gorouter/route/endpoint_iterator.h"

#include <catch2/catch.hpp>

#include <set>

#include "gorouter/route/registry.h"
#include "test/gorouter/route/helpers.h"

using namespace cupola;
using namespace cupola::router;
using namespace std::chrono_literals;
using cupola::router::test::kStart;
using cupola::router::test::message;

namespace {

// One route, "app.example.com", with endpoints on ports 8001.. and instance ids "i1"...,
// app "app-guid", indexes "0"...
struct OneRoute {
  explicit OneRoute(int endpoints, LoadBalancing lb = LoadBalancing::RoundRobin)
      : registry(RegistryOptions{.load_balancing = lb}) {
    for (int i = 0; i < endpoints; ++i) {
      auto m = message({"app.example.com"}, static_cast<std::uint16_t>(8001 + i),
                       "i" + std::to_string(i + 1));
      m.app = "app-guid";
      m.private_instance_index = std::to_string(i);
      (void)registry.apply(MessageKind::Register, m, kStart);
    }
    table = registry.publish();
    pool = table->find("app.example.com", "/");
    REQUIRE(pool);
  }
  std::string first(SelectOptions options = {}) {
    EndpointIterator it(*pool, std::move(options));
    auto e = it.next(kStart);
    return e ? std::string(e->address()) : "";
  }
  std::shared_ptr<Endpoint> at(std::uint16_t port) {
    return pool->find_address("10.0.0.1:" + std::to_string(port));
  }

  Registry registry;
  std::shared_ptr<const RouteTable> table;
  const Pool* pool = nullptr;
};

}  // namespace

TEST_CASE("round-robin selection") {
  OneRoute r(3);
  CHECK(r.pool->load_balancing() == LoadBalancing::RoundRobin);

  SECTION("when requests come one after another, each endpoint gets every third") {
    std::vector<std::string> picks;
    for (int i = 0; i < 6; ++i) picks.push_back(r.first());
    CHECK(std::set<std::string>(picks.begin(), picks.begin() + 3).size() == 3);
    CHECK(picks[3] == picks[0]);
    CHECK(picks[4] == picks[1]);
    CHECK(picks[5] == picks[2]);
  }
  SECTION("when one request retries, it never gets the same endpoint twice") {
    EndpointIterator it(*r.pool);
    std::set<const Endpoint*> seen;
    for (int i = 0; i < 3; ++i) {
      auto e = it.next(kStart);
      REQUIRE(e);
      CHECK(seen.insert(e.get()).second);
    }
    CHECK(it.next(kStart) == nullptr);
  }
  SECTION("when an endpoint failed, it is skipped until its mark expires") {
    r.at(8002)->mark_failed(kStart + 30s);
    for (int i = 0; i < 6; ++i) CHECK(r.first() != "10.0.0.1:8002");
    std::set<std::string> later;
    for (int i = 0; i < 3; ++i) {
      EndpointIterator it(*r.pool);
      later.insert(std::string(it.next(kStart + 31s)->address()));
    }
    CHECK(later.count("10.0.0.1:8002") == 1);
  }
  SECTION("when every endpoint failed, the marks are cleared and one is picked anyway") {
    for (std::uint16_t p : {8001, 8002, 8003}) r.at(p)->mark_failed(kStart + 30s);
    CHECK_FALSE(r.first().empty());
    for (std::uint16_t p : {8001, 8002, 8003}) CHECK_FALSE(r.at(p)->failed(kStart));
  }
  SECTION("when an endpoint is at the connection limit, it is passed over") {
    SelectOptions limited{.max_conns_per_backend = 2};
    r.at(8001)->begin_request();
    r.at(8001)->begin_request();
    for (int i = 0; i < 6; ++i) CHECK(r.first(limited) != "10.0.0.1:8001");
    for (std::uint16_t p : {8002, 8003}) {
      r.at(p)->begin_request();
      r.at(p)->begin_request();
    }
    CHECK(r.first(limited).empty());
    CHECK_FALSE(r.first().empty());
  }
}

TEST_CASE("least-connection selection") {
  OneRoute r(3, LoadBalancing::LeastConnection);
  CHECK(r.pool->load_balancing() == LoadBalancing::LeastConnection);

  SECTION("when endpoints are busy, the one with the fewest requests in flight is picked") {
    InFlight a1(r.at(8001)), a2(r.at(8001)), c1(r.at(8003));
    CHECK(r.first() == "10.0.0.1:8002");
    InFlight b1(r.at(8002)), b2(r.at(8002)), b3(r.at(8002));
    CHECK(r.first() == "10.0.0.1:8003");
  }
  SECTION("when requests end, their endpoint is counted down") {
    {
      InFlight busy(r.at(8002));
      CHECK(r.at(8002)->in_flight() == 1);
    }
    CHECK(r.at(8002)->in_flight() == 0);
  }
  SECTION("when all are equally loaded, successive requests spread over them") {
    std::set<std::string> picks;
    for (int i = 0; i < 3; ++i) picks.insert(r.first());
    CHECK(picks.size() == 3);
  }
  SECTION("when the least loaded endpoint failed, the next least loaded is picked") {
    InFlight a1(r.at(8001)), a2(r.at(8001)), c1(r.at(8003));
    r.at(8002)->mark_failed(kStart + 10s);
    CHECK(r.first() == "10.0.0.1:8003");
  }
  SECTION("when a request retries, it moves on to the next least loaded") {
    InFlight a1(r.at(8001)), a2(r.at(8001)), c1(r.at(8003));
    EndpointIterator it(*r.pool);
    CHECK(it.next(kStart)->address() == "10.0.0.1:8002");
    CHECK(it.next(kStart)->address() == "10.0.0.1:8003");
    CHECK(it.next(kStart)->address() == "10.0.0.1:8001");
    CHECK(it.next(kStart) == nullptr);
  }
}

TEST_CASE("selecting a particular instance") {
  OneRoute r(3);

  SECTION("when a sticky instance is present, it comes first and retries move on") {
    EndpointIterator it(*r.pool, SelectOptions{.sticky_instance_id = "i3"});
    CHECK(it.next(kStart)->address() == "10.0.0.1:8003");
    auto second = it.next(kStart);
    REQUIRE(second);
    CHECK(second->address() != "10.0.0.1:8003");
  }
  SECTION("when the sticky instance failed, it is still used: the session asked for it") {
    r.at(8003)->mark_failed(kStart + 30s);
    CHECK(r.first(SelectOptions{.sticky_instance_id = "i3"}) == "10.0.0.1:8003");
  }
  SECTION("when the sticky instance is gone, another is picked unless it must be sticky") {
    CHECK_FALSE(r.first(SelectOptions{.sticky_instance_id = "gone"}).empty());
    CHECK(r.first(SelectOptions{.sticky_instance_id = "gone", .must_be_sticky = true}).empty());
  }
  SECTION("when it must be sticky, every try goes to that instance") {
    EndpointIterator it(*r.pool, SelectOptions{.sticky_instance_id = "i2", .must_be_sticky = true});
    CHECK(it.next(kStart)->address() == "10.0.0.1:8002");
    CHECK(it.next(kStart)->address() == "10.0.0.1:8002");
  }
  SECTION("when X-Cf-App-Instance names app and index, that endpoint is found") {
    auto e = r.pool->find_app_instance("app-guid", "1");
    REQUIRE(e);
    CHECK(e->address() == "10.0.0.1:8002");
    CHECK(r.pool->find_app_instance("app-guid", "7") == nullptr);
    CHECK(r.pool->find_app_instance("other-app", "1") == nullptr);
    CHECK(r.pool->find_instance("i1")->address() == "10.0.0.1:8001");
  }
}

TEST_CASE("endpoint descriptions") {
  std::map<std::string, std::string> tags{{"app_id", "guid-1"},
                                          {"component", "route-emitter"},
                                          {"process_id", "guid-1"},
                                          {"custom", "value"}};
  EndpointSpec s{.host = "10.1.2.3",
                 .port = 61001,
                 .app_id = "guid-1",
                 .private_instance_id = "iid",
                 .private_instance_index = "4",
                 .server_cert_domain_san = "iid",
                 .tags = &tags};
  Endpoint e(s);

  SECTION("when built, every field reads back, repeated values included") {
    CHECK(e.address() == "10.1.2.3:61001");
    CHECK(e.host() == "10.1.2.3");
    CHECK(e.port() == 61001);
    CHECK(e.app_id() == "guid-1");
    CHECK(e.private_instance_id() == "iid");
    CHECK(e.server_cert_domain_san() == "iid");
    CHECK(e.private_instance_index() == "4");
    CHECK(e.route_service_url().empty());
    REQUIRE(e.tag_count() == 4);
    CHECK(e.tag(0) == std::pair<std::string_view, std::string_view>{"app_id", "guid-1"});
    CHECK(e.tag(1) == std::pair<std::string_view, std::string_view>{"component", "route-emitter"});
    CHECK(e.tag(2) == std::pair<std::string_view, std::string_view>{"custom", "value"});
    CHECK(e.tag("process_id") == std::optional<std::string_view>("guid-1"));
    CHECK_FALSE(e.tag("missing").has_value());
  }
  SECTION("when two are built alike they compare the same, and differ on any change") {
    CHECK(e.same_description(Endpoint(s)));
    EndpointSpec other = s;
    other.private_instance_id = "iid2";
    CHECK_FALSE(e.same_description(Endpoint(other)));
    auto more = tags;
    more["extra"] = "1";
    other = s;
    other.tags = &more;
    CHECK_FALSE(e.same_description(Endpoint(other)));
    other = s;
    other.tags = nullptr;
    CHECK_FALSE(e.same_description(Endpoint(other)));
  }
}
