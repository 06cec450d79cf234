#pragma once

// What the service tests start from: an org and a space with a developer ("dev"), an auditor
// ("aud") and someone of no role there ("stranger"), an app, and the test broker registered
// with its plans small and nobind public (large stays admin-only).

#include <string>
#include <tuple>
#include <vector>

#include "test/cloud_controller/api/cc_fixture.h"
#include "test/cloud_controller/api/osb_test_broker.h"

namespace cupola::cc::test {

struct ServiceWorld {
  std::string org, space, app;
  std::string small, large, nobind;  // plans
  std::string service;               // the offering
  std::string broker;
};

inline ServiceWorld service_world(CcFixture& cc, OsbTestBroker& broker) {
  using http::StatusCode;
  for (const char* who : {"dev", "aud", "stranger"}) cc.tokens.person(who);
  ServiceWorld w;
  w.org = body_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"))["guid"].GetString();
  w.space =
      body_of(cc.post("/v3/spaces", "admin",
                      R"({"name": "s", "relationships": {"organization": {"data": {"guid": ")" +
                          w.org + R"("}}}})"))["guid"]
          .GetString();
  for (const auto& [type, kind, guid, user] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"organization_user", "organization", w.org, "dev"},
           {"organization_user", "organization", w.org, "aud"},
           {"space_developer", "space", w.space, "dev"},
           {"space_auditor", "space", w.space, "aud"}}) {
    REQUIRE(cc.post("/v3/roles", "admin",
                    R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                        R"(": {"data": {"guid": ")" + guid +
                        R"("}}, "user": {"data": {"username": ")" + user + R"("}}}})")
                .result() == StatusCode::created);
  }
  w.app = body_of(cc.post("/v3/apps", "dev",
                          R"({"name": "web", "relationships": {"space": {"data": {"guid": ")" +
                              w.space + R"("}}}})"))["guid"]
              .GetString();
  auto registered = cc.post("/v3/service_brokers", "admin",
                            R"({"name": "osb", "url": ")" + broker.url() +
                                R"(", "authentication": {"type": "basic", "credentials":
                                {"username": "broker", "password": "broker-secret"}}})");
  INFO(registered.body());
  REQUIRE(registered.result() == StatusCode::accepted);
  w.broker = body_of(cc.get("/v3/service_brokers", "admin"))["resources"][0]["guid"].GetString();
  auto plans = body_of(cc.get("/v3/service_plans?order_by=name", "admin"));
  REQUIRE(plans["resources"].Size() == 3);
  w.large = plans["resources"][0]["guid"].GetString();
  w.nobind = plans["resources"][1]["guid"].GetString();
  w.small = plans["resources"][2]["guid"].GetString();
  w.service =
      plans["resources"][0]["relationships"]["service_offering"]["data"]["guid"].GetString();
  for (const auto& plan : {w.small, w.nobind}) {
    REQUIRE(cc.post("/v3/service_plans/" + plan + "/visibility", "admin", R"({"type": "public"})")
                .result() == StatusCode::ok);
  }
  return w;
}

}  // namespace cupola::cc::test
