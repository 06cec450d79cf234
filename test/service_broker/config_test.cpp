#include "service_broker/src/config.h"

#include <catch2/catch.hpp>

#include "common/config/config.h"
#include "common/testing/temp_dir.h"

using namespace cupola;
using namespace cupola::pg_broker;
using namespace std::chrono_literals;

namespace {

Result<BrokerConfig> load(const std::string& text) {
  auto doc = json::parse(text);
  REQUIRE(doc);
  return config::from_document<BrokerConfig>(*doc, "config");
}

const std::string kMinimal =
    R"({"database": "dbname=broker", "target": {"conninfo": "dbname=postgres"},
        "username": "broker", "password": "secret")";

}  // namespace

TEST_CASE("pg broker config") {
  SECTION("when only the required fields are set, the defaults hold") {
    auto c = load(kMinimal + "}");
    REQUIRE(c);
    CHECK(c->listen_address == "127.0.0.1:8090");
    CHECK(c->async_provision);
    CHECK(c->max_body_bytes == 64 * 1024);
    CHECK(c->service.name == "postgresql");
    CHECK(c->service.tags == std::vector<std::string>{"postgresql", "relational"});
    REQUIRE(c->plans.size() == 3);
    CHECK(c->plans[0].name == "small");
    CHECK(c->plans[2].connection_limit == 100);
    CHECK(c->target.hostname == "127.0.0.1");
    CHECK(c->target.port == 5432);
    CHECK(c->target.connect_timeout == 10s);
  }
  SECTION("plans, target and the service can be set") {
    auto c = load(R"({"database": "d", "username": "u", "password": "p", "async_provision": false,
        "target": {"conninfo": "x", "hostname": "db.example", "port": 6543, "connect_timeout": "2s"},
        "service": {"id": "svc-1", "name": "pg"},
        "plans": [{"id": "p1", "name": "tiny", "description": "Tiny", "connection_limit": 2}]})");
    REQUIRE(c);
    CHECK(!c->async_provision);
    CHECK(c->target.hostname == "db.example");
    CHECK(c->target.port == 6543);
    CHECK(c->service.id == "svc-1");
    REQUIRE(c->plans.size() == 1);
    CHECK(c->plans[0].connection_limit == 2);
  }
  SECTION("every problem is reported at once") {
    auto c = load(R"({"listen_address": "nope", "target": {"port": 0},
        "plans": [{"id": "a", "name": "x", "description": "d", "connection_limit": 0},
                  {"id": "a", "name": "x"}]})");
    REQUIRE(!c);
    const auto& m = c.error().message;
    for (const char* field :
         {"listen_address", "database", "target.conninfo", "target.port", "username", "password",
          "plans[0].connection_limit", "plans[1].description", "plans[1].id", "plans[1].name"}) {
      INFO(field);
      CHECK(m.find(field) != std::string::npos);
    }
  }
  SECTION("the password can come from a file, but not from both") {
    testing::TempDir dir;
    auto file = dir.write_file("password", "from-file\n");
    auto c = load(R"({"database": "d", "target": {"conninfo": "t"}, "username": "u",
                      "password_file": ")" +
                  file.string() + "\"}");
    REQUIRE(c);
    CHECK(load_password(*c).value() == "from-file");
    c->password_file = (dir / "missing").string();
    CHECK(!load_password(*c));
    CHECK(!load(kMinimal + R"(, "password_file": "/x"})"));
  }
}
