#include "service_broker/src/requests.h"

#include <catch2/catch.hpp>
#include <cstring>

#include "service_broker/src/errors.h"

using namespace cupola;
using namespace cupola::pg_broker;

namespace {

Catalog catalog() { return Catalog(ServiceConfig{}, BrokerConfig::default_plans()); }

std::string body(const std::string& extra = "") {
  auto c = catalog();
  return R"({"service_id": ")" + c.service().id + R"(", "plan_id": ")" + c.plans()[0].id +
         R"(", "organization_guid": "org", "space_guid": "space")" + extra + "}";
}

bool bad_request(const Error& e) { return e.code == make_error_code(BrokerErrc::BadRequest); }

}  // namespace

TEST_CASE("provision requests") {
  auto c = catalog();
  SECTION("a complete request reads, context and all") {
    auto r = parse_provision(body(R"(, "context": {"platform": "cloudfoundry"})"), c);
    REQUIRE(r);
    CHECK(r->attributes.plan_id == c.plans()[0].id);
    CHECK(r->attributes.organization_guid == "org");
    CHECK(r->attributes.parameters == "{}");
    CHECK(r->context == R"({"platform":"cloudfoundry"})");
  }
  SECTION("each required field, and unknown ids, are rejected as bad requests") {
    for (const char* field : {"service_id", "plan_id", "organization_guid", "space_guid"}) {
      std::string text = body();
      auto at = text.find(std::string("\"") + field + "\"");
      REQUIRE(at != std::string::npos);
      text.replace(at + 1, std::strlen(field), std::string("x_") + field);
      auto r = parse_provision(text, c);
      INFO(field);
      REQUIRE(!r);
      CHECK(bad_request(r.error()));
      CHECK(r.error().message.find(field) != std::string::npos);
    }
    auto svc = body();
    svc.replace(svc.find(c.service().id), c.service().id.size(), "xxxx-xxxx-xxxx-xxxx");
    CHECK(bad_request(parse_provision(svc, c).error()));
    auto plan = body();
    plan.replace(plan.find(c.plans()[0].id), c.plans()[0].id.size(), "xxxx-xxxx-xxxx-xxxx");
    CHECK(bad_request(parse_provision(plan, c).error()));
  }
  SECTION("parameters the plans do not take, and bodies that are not objects, are rejected") {
    CHECK(
        bad_request(parse_provision(body(R"(, "parameters": {"can-not": "be-good"})"), c).error()));
    CHECK(parse_provision(body(R"(, "parameters": {})"), c));
    CHECK(bad_request(parse_provision("", c).error()));
    CHECK(bad_request(parse_provision("[1]", c).error()));
    CHECK(bad_request(parse_provision("{\"service_id\": ", c).error()));
    CHECK(bad_request(parse_provision(body(R"(, "context": 5)"), c).error()));
  }
}

TEST_CASE("update and bind requests") {
  auto c = catalog();
  const std::string svc = c.service().id;
  SECTION("an update needs service_id; plan_id is optional but must be a plan") {
    auto r = parse_update(R"({"service_id": ")" + svc + R"("})", c);
    REQUIRE(r);
    CHECK(!r->plan_id);
    CHECK(!r->parameters);
    auto p = parse_update(R"({"service_id": ")" + svc + R"(", "plan_id": ")" + c.plans()[2].id +
                              R"(", "previous_values": {"plan_id": "old"}})",
                          c);
    REQUIRE(p);
    CHECK(*p->plan_id == c.plans()[2].id);
    CHECK(bad_request(parse_update(R"({"plan_id": ")" + c.plans()[2].id + R"("})", c).error()));
    CHECK(bad_request(parse_update(R"({"service_id": "xxxx"})", c).error()));
    CHECK(bad_request(
        parse_update(R"({"service_id": ")" + svc + R"(", "plan_id": "xxxx"})", c).error()));
  }
  SECTION("a bind takes app_guid from bind_resource, else the top level") {
    std::string ids = R"("service_id": ")" + svc + R"(", "plan_id": ")" + c.plans()[0].id + "\"";
    auto r =
        parse_bind("{" + ids + R"(, "bind_resource": {"app_guid": "a1"}, "app_guid": "a2"})", c);
    REQUIRE(r);
    CHECK(r->app_guid == "a1");
    CHECK(parse_bind("{" + ids + R"(, "app_guid": "a2"})", c)->app_guid == "a2");
    CHECK(parse_bind("{" + ids + "}", c)->app_guid.empty());
    CHECK(bad_request(parse_bind(R"({"service_id": ")" + svc + R"("})", c).error()));
    CHECK(bad_request(parse_bind("{" + ids + R"(, "parameters": {"x": 1}})", c).error()));
  }
  SECTION("a delete needs both ids in its query, and our service") {
    CHECK(check_delete_query(svc, std::string("any-plan"), c));
    CHECK(bad_request(check_delete_query(std::nullopt, std::string("p"), c).error()));
    CHECK(bad_request(check_delete_query(svc, std::nullopt, c).error()));
    CHECK(bad_request(check_delete_query(std::string(""), std::string("p"), c).error()));
    CHECK(bad_request(check_delete_query(std::string("other"), std::string("p"), c).error()));
  }
  SECTION("accepts_incomplete is only true when it says true") {
    CHECK(accepts_incomplete(std::string("true")));
    CHECK(!accepts_incomplete(std::string("false")));
    CHECK(!accepts_incomplete(std::nullopt));
  }
}
