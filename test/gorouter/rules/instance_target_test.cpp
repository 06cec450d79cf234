// X-Cf-App-Instance and X-Cf-Process-Instance, and the Host check.
#include <catch2/catch.hpp>

#include <vector>

#include "fixtures.h"
#include "gorouter/rules/instance_target.h"

namespace cupola::router::rules {
namespace {

using namespace testing;

constexpr const char* kProcessGuid = "0d2c1b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

TEST_CASE("parse_app_instance takes exactly <guid>:<index>", "[router][rules][instance]") {
  SECTION("when the value is well formed") {
    auto t = parse_app_instance(std::string(kAppGuid) + ":12");
    REQUIRE(t.ok());
    CHECK(t->guid == kAppGuid);
    CHECK(t->index == "12");
    CHECK(t->by == InstanceTarget::By::App);
  }
  SECTION("when it is malformed") {
    const std::string guid = kAppGuid;
    const std::vector<std::string> malformed = {guid,
                                                guid + ":",
                                                guid + ":x",
                                                guid + ":1 ",
                                                guid + ":-1",
                                                " " + guid + ":1",
                                                "5F1A3C2E-8B7D-4E6F-9A0B-1C2D3E4F5A6B:1",
                                                "5f1a3c2e8b7d4e6f9a0b1c2d3e4f5a6b:1",
                                                "5f1a3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6g:1",
                                                "app:1",
                                                ""};
    for (const std::string& bad : malformed) {
      INFO(bad);
      auto t = parse_app_instance(bad);
      REQUIRE_FALSE(t.ok());
      CHECK(t.error().message == "invalid-app-instance-header: " + bad);
    }
  }
}

TEST_CASE("parse_process_instance takes <guid> with an optional index",
          "[router][rules][instance]") {
  CHECK(parse_process_instance(kProcessGuid).value() ==
        InstanceTarget{InstanceTarget::By::Process, kProcessGuid, ""});
  CHECK(parse_process_instance(std::string(kProcessGuid) + ":3").value().index == "3");
  CHECK_FALSE(parse_process_instance(std::string(kProcessGuid) + ":").ok());
  CHECK_FALSE(parse_process_instance(std::string(kProcessGuid) + "-3").ok());
  CHECK(parse_process_instance("nope").error().message == "invalid-process-instance-header: nope");
}

TEST_CASE("instance_target reads the header that applies", "[router][rules][instance]") {
  SECTION("when neither is sent, or they are empty") {
    CHECK(instance_target({}).value() == std::nullopt);
    CHECK(instance_target({{"X-CF-APP-INSTANCE", ""}}).value() == std::nullopt);
  }
  SECTION("when both are sent, the app header wins") {
    auto t = instance_target({{"X-Cf-Process-Instance", kProcessGuid},
                              {"x-cf-app-instance", std::string(kAppGuid) + ":0"}});
    REQUIRE(t.ok());
    CHECK(t.value()->by == InstanceTarget::By::App);
  }
  SECTION("when the app header is malformed, the process header does not rescue it") {
    CHECK_FALSE(
        instance_target({{"X-Cf-App-Instance", "bad"}, {"X-Cf-Process-Instance", kProcessGuid}})
            .ok());
  }
}

TEST_CASE("select_instances narrows the pool to the addressed instance",
          "[router][rules][instance]") {
  std::vector<Endpoint> pool = {endpoint("10.0.0.1:80", "i0", "0"),
                                endpoint("10.0.0.2:80", "i1", "1"),
                                endpoint("10.0.0.3:80", "i2", "2")};
  pool[2].app_id = "another-app";
  for (Endpoint& e : pool) e.process_id = kProcessGuid;

  auto addresses = [](const std::vector<Endpoint>& endpoints) {
    std::vector<std::string> out;
    for (const Endpoint& e : endpoints) out.push_back(e.address);
    return out;
  };
  CHECK(addresses(select_instances(pool, {InstanceTarget::By::App, kAppGuid, "1"})) ==
        std::vector<std::string>{"10.0.0.2:80"});
  CHECK(select_instances(pool, {InstanceTarget::By::App, kAppGuid, "2"}).empty());
  CHECK(select_instances(pool, {InstanceTarget::By::App, kAppGuid, "01"}).empty());
  CHECK(addresses(select_instances(pool, {InstanceTarget::By::Process, kProcessGuid, ""})) ==
        std::vector<std::string>{"10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"});
  CHECK(addresses(select_instances(pool, {InstanceTarget::By::Process, kProcessGuid, "2"})) ==
        std::vector<std::string>{"10.0.0.3:80"});
}

TEST_CASE("host_missing catches empty hosts and the client's own address",
          "[router][rules][instance]") {
  CHECK(host_missing("", "203.0.113.7:52113"));
  CHECK(host_missing("203.0.113.7", "203.0.113.7:52113"));
  CHECK(host_missing("203.0.113.7:80", "203.0.113.7:52113"));
  CHECK_FALSE(host_missing("app.example.com", "203.0.113.7:52113"));
  CHECK_FALSE(host_missing("10.0.0.1", "203.0.113.7:52113"));
}

}  // namespace
}  // namespace cupola::router::rules
