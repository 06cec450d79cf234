#include "diego/route_emitter/src/routing_table.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::route_emitter;

namespace {

bbs::DesiredLrp desired(std::string guid, std::string routes) {
  bbs::DesiredLrp d;
  d.process_guid = guid;
  d.log_guid = "app-" + guid;
  d.routes = std::move(routes);
  return d;
}

std::string routes(std::string hosts, int port = 8080) {
  return R"({"cf-router": [{"hostnames": [)" + hosts + R"(], "port": )" + std::to_string(port) +
         "}]}";
}

bbs::ActualLrp actual(std::string guid, int index, std::string instance, bbs::ActualLrpState state,
                      std::uint32_t host_port = 61000) {
  bbs::ActualLrp a;
  a.key = {guid, index, "cf-apps"};
  a.instance_key = {std::move(instance), "cell-1"};
  a.state = state;
  a.net_info.address = "10.0.0.5";
  a.net_info.ports = {{8080, host_port}};
  return a;
}

std::vector<std::string> uris_of(const std::vector<RegistryMessage>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) {
    for (const auto& u : m.uris)
      out.push_back(m.private_instance_id + ":" + std::to_string(m.port) + ":" + u);
  }
  return out;
}

}  // namespace

TEST_CASE("a running instance of a routed LRP is registered with gorouter's fields") {
  RoutingTable t;
  CHECK(t.set_desired(desired("web", routes(R"("web.example.com")"))).empty());
  auto m = t.set_actual(actual("web", 1, "i-1", bbs::ActualLrpState::Running, 61005));
  REQUIRE(m.registrations.size() == 1);
  CHECK(m.unregistrations.empty());
  const auto& r = m.registrations[0];
  CHECK(r.host == "10.0.0.5");
  CHECK(r.port == 61005);
  CHECK(r.uris == std::vector<std::string>{"web.example.com"});
  CHECK(r.app == "app-web");
  CHECK(r.private_instance_id == "i-1");
  CHECK(r.private_instance_index == "1");
  CHECK(r.server_cert_domain_san == "i-1");
  CHECK(t.endpoint_count() == 1);
}

TEST_CASE("claimed instances are not routed; a crash or removal unregisters at once") {
  RoutingTable t;
  t.set_desired(desired("web", routes(R"("web.example.com")")));
  CHECK(t.set_actual(actual("web", 0, "i-1", bbs::ActualLrpState::Claimed)).empty());
  CHECK(t.set_actual(actual("web", 0, "i-1", bbs::ActualLrpState::Running)).registrations.size() ==
        1);

  auto crashed = t.change_actual(actual("web", 0, "i-1", bbs::ActualLrpState::Running),
                                 actual("web", 0, "", bbs::ActualLrpState::Unclaimed));
  REQUIRE(crashed.unregistrations.size() == 1);
  CHECK(crashed.unregistrations[0].private_instance_id == "i-1");
  CHECK(t.endpoint_count() == 0);

  t.set_actual(actual("web", 0, "i-2", bbs::ActualLrpState::Running));
  auto removed = t.remove_actual("web", "i-2");
  CHECK(uris_of(removed.unregistrations) == std::vector<std::string>{"i-2:61000:web.example.com"});
}

TEST_CASE("changing hostnames unregisters the lost ones and registers the new set") {
  RoutingTable t;
  t.set_desired(desired("web", routes(R"("a.example.com", "b.example.com")")));
  t.set_actual(actual("web", 0, "i-1", bbs::ActualLrpState::Running));
  auto m = t.set_desired(desired("web", routes(R"("b.example.com", "c.example.com")")));
  CHECK(uris_of(m.unregistrations) == std::vector<std::string>{"i-1:61000:a.example.com"});
  REQUIRE(m.registrations.size() == 1);
  CHECK(m.registrations[0].uris == std::vector<std::string>{"b.example.com", "c.example.com"});
  CHECK(t.set_desired(desired("web", routes(R"("b.example.com", "c.example.com")"))).empty());
}

TEST_CASE("scale-down and removal of the desired LRP unregister everything it routed") {
  RoutingTable t;
  t.set_desired(desired("web", routes(R"("web.example.com")")));
  t.set_actual(actual("web", 0, "i-0", bbs::ActualLrpState::Running, 61000));
  t.set_actual(actual("web", 1, "i-1", bbs::ActualLrpState::Running, 61001));
  CHECK(t.remove_actual("web", "i-1").unregistrations.size() == 1);
  auto gone = t.remove_desired("web");
  CHECK(uris_of(gone.unregistrations) == std::vector<std::string>{"i-0:61000:web.example.com"});
  CHECK(t.registrations().empty());
}

TEST_CASE("an evacuating copy stays routed next to its replacement until its row goes") {
  RoutingTable t;
  t.set_desired(desired("web", routes(R"("web.example.com")")));
  auto old = actual("web", 0, "i-old", bbs::ActualLrpState::Running, 61000);
  old.presence = bbs::Presence::Evacuating;
  t.set_actual(old);
  t.set_actual(actual("web", 0, "i-new", bbs::ActualLrpState::Running, 62000));
  CHECK(t.endpoint_count() == 2);
  auto m = t.remove_actual("web", "i-old");
  CHECK(uris_of(m.unregistrations) == std::vector<std::string>{"i-old:61000:web.example.com"});
  CHECK(t.endpoint_count() == 1);
}

TEST_CASE("a route on a port the instance does not map routes nothing") {
  RoutingTable t;
  t.set_desired(desired("web", routes(R"("web.example.com")", 9090)));
  CHECK(t.set_actual(actual("web", 0, "i-1", bbs::ActualLrpState::Running)).empty());
}

TEST_CASE("a full sync emits only the difference from what the routers have") {
  RoutingTable t;
  t.set_desired(desired("web", routes(R"("web.example.com")")));
  t.set_actual(actual("web", 0, "i-1", bbs::ActualLrpState::Running, 61000));
  t.set_actual(actual("web", 1, "i-2", bbs::ActualLrpState::Running, 61001));
  // The BBS now says: i-2 is gone, i-3 runs, and a second app appeared.
  auto m = t.sync({desired("web", routes(R"("web.example.com")")),
                   desired("api", routes(R"("api.example.com")"))},
                  {actual("web", 0, "i-1", bbs::ActualLrpState::Running, 61000),
                   actual("web", 1, "i-3", bbs::ActualLrpState::Running, 61002),
                   actual("api", 0, "a-1", bbs::ActualLrpState::Running, 61003)});
  CHECK(uris_of(m.unregistrations) == std::vector<std::string>{"i-2:61001:web.example.com"});
  auto reg = uris_of(m.registrations);
  std::sort(reg.begin(), reg.end());
  CHECK(reg == std::vector<std::string>{"a-1:61003:api.example.com", "i-3:61002:web.example.com"});
  CHECK(t.route_count() == 2);
}

TEST_CASE("routes that do not parse route nothing and are reported") {
  RoutingTable t;
  t.set_desired(desired("web", R"({"cf-router": "nope"})"));
  CHECK(t.set_actual(actual("web", 0, "i-1", bbs::ActualLrpState::Running)).empty());
  CHECK(t.invalid_routes().contains("web"));
}
