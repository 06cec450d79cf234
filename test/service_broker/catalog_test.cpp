#include "service_broker/src/catalog.h"

#include <catch2/catch.hpp>

#include "service_broker/src/middleware.h"

using namespace cupola;
using namespace cupola::pg_broker;

TEST_CASE("the catalog") {
  Catalog c(ServiceConfig{}, BrokerConfig::default_plans());
  auto doc = json::parse(c.to_json());
  REQUIRE(doc);
  REQUIRE((*doc)["services"].Size() == 1);
  const auto& s = (*doc)["services"][0];
  CHECK(std::string(s["name"].GetString()) == "postgresql");
  CHECK(s["bindable"].GetBool());
  CHECK(s["plan_updateable"].GetBool());
  CHECK(s["instances_retrievable"].GetBool());
  CHECK(s["bindings_retrievable"].GetBool());
  REQUIRE(s["plans"].Size() == 3);
  const auto& small = s["plans"][0];
  CHECK(std::string(small["name"].GetString()) == "small");
  CHECK(small["metadata"]["connection_limit"].GetInt() == 10);
  const auto& schema = small["schemas"]["service_instance"]["create"]["parameters"];
  CHECK(std::string(schema["$schema"].GetString()) == "http://json-schema.org/draft-04/schema#");
  CHECK(!schema["additionalProperties"].GetBool());
  CHECK(c.find_plan(small["id"].GetString()) != nullptr);
  CHECK(c.find_plan("nope") == nullptr);
  CHECK(c.is_service(s["id"].GetString()));
}

TEST_CASE("request headers") {
  SECTION("API versions from 2.13 on are spoken") {
    CHECK(supported_api_version("2.17"));
    CHECK(supported_api_version("2.13"));
    CHECK(supported_api_version("2.99"));
    CHECK(!supported_api_version("2.12"));
    CHECK(!supported_api_version("3.0"));
    CHECK(!supported_api_version("2"));
    CHECK(!supported_api_version("2.x"));
    CHECK(!supported_api_version(""));
  }
  SECTION("the originating identity is decoded for the log") {
    CHECK(decode_originating_identity("cloudfoundry eyJ1c2VyX2lkIjoiMTIzIn0=") ==
          R"(cloudfoundry {"user_id":"123"})");
    CHECK(decode_originating_identity("cloudfoundry !!!") == "cloudfoundry (undecodable)");
    CHECK(decode_originating_identity("kubernetes") == "kubernetes (undecodable)");
  }
}
