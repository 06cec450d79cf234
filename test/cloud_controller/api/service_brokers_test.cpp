// Registering service brokers on a real Postgres, against a broker served over HTTP by the
// test: the OSB headers the CC sends, catalogs taken, refreshed and refused, the marketplace
// (offerings and plans with the included brokers the cf CLI reads), plan visibility per org,
// and who may do what.
#include <mutex>

#include "common/core/base64.h"
#include "test/cloud_controller/api/cc_fixture.h"
#include "test/common/http/server_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;

namespace {

// A broker on 127.0.0.1: GET /v2/catalog answers `catalog` to the right credentials.
class TestBroker {
 public:
  TestBroker() : server_(router()) {}
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  void set_catalog(std::string c) {
    std::lock_guard lock(mu_);
    catalog_ = std::move(c);
  }
  // The headers of the last catalog request.
  std::map<std::string, std::string> last_headers() {
    std::lock_guard lock(mu_);
    return headers_;
  }

 private:
  http::Router router() {
    http::Router r;
    r.get("/v2/catalog",
          [this](http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
            std::lock_guard lock(mu_);
            headers_.clear();
            for (const auto& f : ctx.request)
              headers_[std::string(f.name_string())] = std::string(f.value());
            if (headers_["Authorization"] != "Basic " + base64_encode("broker:broker-secret")) {
              co_return http::make_response(StatusCode::unauthorized, "{}", "application/json");
            }
            co_return http::make_response(StatusCode::ok, catalog_, "application/json");
          });
    return r;
  }
  std::mutex mu_;
  std::string catalog_;
  std::map<std::string, std::string> headers_;
  http::test::ServerFixture server_;
};

std::string catalog(const std::string& plans) {
  return R"({"services": [{"id": "svc-pg", "name": "postgresql", "description": "A database",
    "bindable": true, "tags": ["postgresql", "relational"], "plan_updateable": true,
    "metadata": {"shareable": false}, "plans": [)" +
         plans + "]}]}";
}
const std::string kSmall = R"({"id": "plan-small", "name": "small", "description": "1 connection",
    "free": true})";
const std::string kLarge = R"({"id": "plan-large", "name": "large", "description": "100",
    "free": false, "metadata": {"costs": [{"amount": {"usd": 10.0}, "unit": "MONTHLY"}]}})";

std::string register_body(const std::string& name, const std::string& url,
                          const std::string& password = "broker-secret") {
  return R"({"name": ")" + name + R"(", "url": ")" + url +
         R"(", "authentication": {"type": "basic", "credentials": {"username": "broker",
         "password": ")" +
         password + R"("}}})";
}

}  // namespace

TEST_CASE("service brokers: registration, catalog, marketplace and visibility") {
  CcFixture cc;
  TestBroker broker;
  broker.set_catalog(catalog(kSmall + "," + kLarge));
  cc.tokens.person("dev");
  std::string org =
      body_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"))["guid"].GetString();
  REQUIRE(cc.post("/v3/roles", "admin",
                  R"({"type": "organization_user", "relationships": {"organization": {"data":
                  {"guid": ")" +
                      org + R"("}}, "user": {"data": {"username": "dev"}}}})")
              .result() == StatusCode::created);

  SECTION("when an admin registers a broker, its catalog becomes offerings and plans") {
    auto res = cc.post("/v3/service_brokers", "admin", register_body("pg", broker.url()));
    INFO(res.body());
    REQUIRE(res.result() == StatusCode::accepted);
    CHECK(res.find(http::bhttp::field::location) != res.end());
    auto headers = broker.last_headers();
    CHECK(headers["X-Broker-API-Version"] == "2.17");
    CHECK_THAT(headers["X-Broker-API-Originating-Identity"], Catch::StartsWith("cloudfoundry "));

    auto brokers = body_of(cc.get("/v3/service_brokers", "admin"));
    REQUIRE(brokers["resources"].Size() == 1);
    CHECK(std::string(brokers["resources"][0]["name"].GetString()) == "pg");
    CHECK(brokers["resources"][0].FindMember("authentication") ==
          brokers["resources"][0].MemberEnd());  // never shown

    auto offerings =
        body_of(cc.get("/v3/service_offerings?fields[service_broker]=name,guid", "admin"));
    REQUIRE(offerings["resources"].Size() == 1);
    CHECK(std::string(offerings["resources"][0]["name"].GetString()) == "postgresql");
    CHECK(offerings["resources"][0]["broker_catalog"]["features"]["plan_updateable"].GetBool());
    CHECK(std::string(offerings["included"]["service_brokers"][0]["name"].GetString()) == "pg");

    auto plans = body_of(cc.get(
        "/v3/service_plans?include=service_offering&fields[service_offering.service_broker]=name,"
        "guid&order_by=name",
        "admin"));
    REQUIRE(plans["resources"].Size() == 2);
    CHECK(std::string(plans["resources"][0]["name"].GetString()) == "large");
    CHECK_FALSE(plans["resources"][0]["free"].GetBool());
    CHECK(plans["resources"][0]["costs"][0]["unit"] == "MONTHLY");
    CHECK(std::string(plans["resources"][0]["visibility_type"].GetString()) == "admin");
    CHECK(std::string(plans["included"]["service_offerings"][0]["name"].GetString()) ==
          "postgresql");
    CHECK(std::string(plans["included"]["service_brokers"][0]["name"].GetString()) == "pg");

    SECTION("then a developer sees nothing until a plan is made visible to their org") {
      CHECK(body_of(cc.get("/v3/service_plans", "dev"))["resources"].Size() == 0);
      CHECK(body_of(cc.get("/v3/service_offerings", "dev"))["resources"].Size() == 0);
      std::string small = plans["resources"][1]["guid"].GetString();
      auto v =
          cc.post("/v3/service_plans/" + small + "/visibility", "admin",
                  R"({"type": "organization", "organizations": [{"guid": ")" + org + R"("}]})");
      INFO(v.body());
      REQUIRE(v.result() == StatusCode::ok);
      CHECK(body_of(v)["organizations"][0]["name"] == "acme");
      auto seen = body_of(cc.get("/v3/service_plans", "dev"));
      REQUIRE(seen["resources"].Size() == 1);
      CHECK(std::string(seen["resources"][0]["name"].GetString()) == "small");
      CHECK(std::string(seen["resources"][0]["visibility_type"].GetString()) == "organization");
      CHECK(body_of(cc.get("/v3/service_offerings", "dev"))["resources"].Size() == 1);
      CHECK(cc.call(http::Verb::patch, "/v3/service_plans/" + small + "/visibility", "dev",
                    R"({"type": "public"})")
                .result() == StatusCode::forbidden);
      // An org's access can be taken back (disable-service-access -o).
      CHECK(cc.del("/v3/service_plans/" + small + "/visibility/" + org, "admin").result() ==
            StatusCode::no_content);
      CHECK(body_of(cc.get("/v3/service_plans", "dev"))["resources"].Size() == 0);
      CHECK(cc.del("/v3/service_plans/" + small + "/visibility/" + org, "admin").result() ==
            StatusCode::not_found);
      // Public for everyone (enable-service-access without -o).
      std::string large = plans["resources"][0]["guid"].GetString();
      REQUIRE(cc.call(http::Verb::patch, "/v3/service_plans/" + large + "/visibility", "admin",
                      R"({"type": "public"})")
                  .result() == StatusCode::ok);
      auto now_seen = body_of(cc.get("/v3/service_plans", "dev"));
      REQUIRE(now_seen["resources"].Size() == 1);
      CHECK(std::string(now_seen["resources"][0]["visibility_type"].GetString()) == "public");
    }
    SECTION("then a refreshed catalog keeps the plans it still lists, with their guids") {
      std::string small = plans["resources"][1]["guid"].GetString();
      std::string guid = brokers["resources"][0]["guid"].GetString();
      broker.set_catalog(catalog(kSmall));
      auto res2 = cc.call(http::Verb::patch, "/v3/service_brokers/" + guid, "admin",
                          R"({"name": "pg-renamed"})");
      INFO(res2.body());
      REQUIRE(res2.result() == StatusCode::accepted);
      auto after = body_of(cc.get("/v3/service_plans", "admin"));
      REQUIRE(after["resources"].Size() == 1);
      CHECK(std::string(after["resources"][0]["guid"].GetString()) == small);
      CHECK(body_of(cc.get("/v3/service_brokers/" + guid, "admin"))["name"] == "pg-renamed");
    }
    SECTION("then deleting the broker removes its offerings and plans") {
      std::string guid = brokers["resources"][0]["guid"].GetString();
      CHECK(cc.del("/v3/service_brokers/" + guid, "dev").result() == StatusCode::not_found);
      REQUIRE(cc.del("/v3/service_brokers/" + guid, "admin").result() == StatusCode::accepted);
      CHECK(body_of(cc.get("/v3/service_offerings", "admin"))["resources"].Size() == 0);
      CHECK(body_of(cc.get("/v3/service_plans", "admin"))["resources"].Size() == 0);
    }
  }
  SECTION("when the registration is wrong, nothing is stored and the reason is given") {
    auto wrong_password =
        cc.post("/v3/service_brokers", "admin", register_body("pg", broker.url(), "nope"));
    CHECK(wrong_password.result() == StatusCode::bad_gateway);
    CHECK_THAT(wrong_password.body(),
               Catch::Contains("Authentication failed for the service broker"));
    auto unreachable =
        cc.post("/v3/service_brokers", "admin", register_body("pg", "http://127.0.0.1:1"));
    CHECK(unreachable.result() == StatusCode::bad_gateway);
    CHECK_THAT(unreachable.body(), Catch::Contains("could not be reached"));
    broker.set_catalog(
        R"({"services": [{"id": "x", "name": "x", "bindable": true, "plans": []}]})");
    auto invalid = cc.post("/v3/service_brokers", "admin", register_body("pg", broker.url()));
    CHECK(invalid.result() == StatusCode::bad_gateway);
    CHECK_THAT(invalid.body(), Catch::Contains("Service broker catalog is invalid"));
    CHECK_THAT(invalid.body(), Catch::Contains("description is required"));
    CHECK_THAT(invalid.body(), Catch::Contains("must have at least one plan"));
    broker.set_catalog("not json");
    CHECK(cc.post("/v3/service_brokers", "admin", register_body("pg", broker.url())).result() ==
          StatusCode::bad_gateway);
    CHECK(body_of(cc.get("/v3/service_brokers", "admin"))["resources"].Size() == 0);
    CHECK(cc.post("/v3/service_brokers", "admin", R"({"name": "pg", "url": "ftp://x"})").result() ==
          StatusCode::unprocessable_entity);
    CHECK(cc.post("/v3/service_brokers", "dev", register_body("pg", broker.url())).result() ==
          StatusCode::forbidden);
  }
  SECTION("when a name is taken, the second broker is refused") {
    REQUIRE(cc.post("/v3/service_brokers", "admin", register_body("pg", broker.url())).result() ==
            StatusCode::accepted);
    auto again = cc.post("/v3/service_brokers", "admin", register_body("pg", broker.url()));
    CHECK(again.result() == StatusCode::unprocessable_entity);
    CHECK_THAT(again.body(), Catch::Contains("Name must be unique"));
  }
}
