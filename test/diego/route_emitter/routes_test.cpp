#include "diego/route_emitter/src/routes.h"

#include <catch2/catch.hpp>

#include "common/json/json.h"

using namespace cupola;
using namespace cupola::route_emitter;

TEST_CASE("cf-router routes parse; other routers and no routes are empty") {
  auto routes =
      parse_cf_routes(R"({"cf-router": [{"hostnames": ["a.example.com", "b.example.com/api"],
    "port": 8080, "route_service_url": "https://rs.example.com"}], "tcp-router": [{"port": 1}]})");
  REQUIRE(routes.ok());
  REQUIRE(routes->size() == 1);
  CHECK((*routes)[0].hostnames == std::vector<std::string>{"a.example.com", "b.example.com/api"});
  CHECK((*routes)[0].route_service_url == "https://rs.example.com");
  CHECK(parse_cf_routes("")->empty());
  CHECK(parse_cf_routes(R"({"tcp-router": []})")->empty());
}

TEST_CASE("bad routes name the field") {
  auto bad = parse_cf_routes(R"({"cf-router": [{"hostnames": "a.example.com", "port": "x"}]})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("cf-router[0].hostnames") != std::string::npos);
  CHECK(bad.error().message.find("cf-router[0].port") != std::string::npos);
  CHECK_FALSE(parse_cf_routes(R"({"cf-router": {}})").ok());
}

TEST_CASE("registry messages are gorouter's JSON") {
  RegistryMessage m;
  m.host = "10.0.0.5";
  m.port = 61001;
  m.uris = {"app.example.com"};
  m.app = "app-guid";
  m.private_instance_id = "inst-1";
  m.private_instance_index = "2";
  m.server_cert_domain_san = "inst-1";
  m.tags = {{"component", "route-emitter"}};
  auto doc = json::parse(to_json(m));
  REQUIRE(doc.ok());
  CHECK(std::string((*doc)["host"].GetString()) == "10.0.0.5");
  CHECK((*doc)["port"].GetUint() == 61001);
  CHECK(std::string((*doc)["uris"][0].GetString()) == "app.example.com");
  CHECK(std::string((*doc)["private_instance_index"].GetString()) == "2");
  CHECK(std::string((*doc)["tags"]["component"].GetString()) == "route-emitter");
  CHECK_FALSE(doc->HasMember("route_service_url"));
}

TEST_CASE("router greetings carry the register interval") {
  auto g = parse_router_greeting(
      R"({"id": "r1", "hosts": ["10.0.0.1"], "minimumRegisterIntervalInSeconds": 5,
          "pruneThresholdInSeconds": 30})");
  REQUIRE(g.ok());
  CHECK(g->minimum_register_interval_seconds == 5);
  CHECK(parse_router_greeting(to_json(*g))->prune_threshold_seconds == 30);
  CHECK_FALSE(parse_router_greeting(R"({"minimumRegisterIntervalInSeconds": 0})").ok());
}
