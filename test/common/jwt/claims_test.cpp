#include "common/jwt/claims.h"

#include <catch2/catch.hpp>

#include "common/jwt/errors.h"

using namespace cupola;
using namespace cupola::jwt;

namespace {

// The claims of a UAA password-grant access token.
constexpr std::string_view kUaaClaims = R"({
  "jti": "0fa1e2b3c4d5",
  "sub": "7f1c2d3e-user",
  "scope": ["cloud_controller.read", "cloud_controller.write", "openid"],
  "client_id": "cf",
  "cid": "cf",
  "azp": "cf",
  "revocable": true,
  "grant_type": "password",
  "user_id": "7f1c2d3e-user",
  "origin": "uaa",
  "user_name": "admin",
  "email": "admin@example.com",
  "auth_time": 1700000000,
  "rev_sig": "a1b2c3d4",
  "iat": 1700000000,
  "exp": 1700000600,
  "iss": "https://uaa.example.com/oauth/token",
  "zid": "uaa",
  "aud": ["cloud_controller", "openid", "cf"]
})";

}  // namespace

TEST_CASE("claims give typed access to UAA's claims and raw access to the rest") {
  auto c = Claims::parse(kUaaClaims);
  REQUIRE(c.ok());
  CHECK(c->jti() == "0fa1e2b3c4d5");
  CHECK(c->sub() == "7f1c2d3e-user");
  CHECK(c->iss() == "https://uaa.example.com/oauth/token");
  CHECK(c->aud() == std::vector<std::string>{"cloud_controller", "openid", "cf"});
  CHECK(c->iat() == 1700000000);
  CHECK(c->exp() == 1700000600);
  CHECK_FALSE(c->nbf().has_value());
  CHECK(c->client_id() == "cf");
  CHECK(c->cid() == "cf");
  CHECK(c->user_id() == "7f1c2d3e-user");
  CHECK(c->user_name() == "admin");
  CHECK(c->email() == "admin@example.com");
  CHECK(c->grant_type() == "password");
  CHECK(c->zid() == "uaa");
  CHECK(c->origin() == "uaa");
  CHECK(c->has_scope("cloud_controller.write"));
  CHECK_FALSE(c->has_scope("cloud_controller.admin"));
  CHECK(c->has_audience("cloud_controller"));
  CHECK_FALSE(c->has_audience("cloud_control"));

  const json::Value* revocable = c->find("revocable");
  REQUIRE(revocable != nullptr);
  CHECK(revocable->IsTrue());
  CHECK(std::string(c->raw()["rev_sig"].GetString()) == "a1b2c3d4");
  CHECK(c->find("authorities") == nullptr);
  CHECK(Claims::parse(c->to_json())->jti() == "0fa1e2b3c4d5");
}

TEST_CASE("claims accept the other standard forms") {
  SECTION("when aud is one string") {
    auto c = Claims::parse(R"({"aud":"cloud_controller"})");
    REQUIRE(c.ok());
    CHECK(c->aud() == std::vector<std::string>{"cloud_controller"});
  }
  SECTION("when scope is a space-separated string") {
    auto c = Claims::parse(R"({"scope":"openid  cloud_controller.read "})");
    REQUIRE(c.ok());
    CHECK(c->scope() == std::vector<std::string>{"openid", "cloud_controller.read"});
  }
  SECTION("when a date has a fraction") {
    auto c = Claims::parse(R"({"exp":1700000600.9,"iat":1.7e9})");
    REQUIRE(c.ok());
    CHECK(c->exp() == 1700000600);
    CHECK(c->iat() == 1700000000);
  }
  SECTION("when a claim is null") {
    auto c = Claims::parse(R"({"sub":null,"exp":null})");
    REQUIRE(c.ok());
    CHECK_FALSE(c->sub().has_value());
    CHECK_FALSE(c->exp().has_value());
  }
}

TEST_CASE("claims of the wrong type are refused, all named at once") {
  auto c = Claims::parse(R"({"exp":"tomorrow","scope":["openid",7],"sub":1,"aud":{}})");
  REQUIRE_FALSE(c.ok());
  CHECK(has_code(c.error(), JwtErrc::Malformed));
  const std::string& m = c.error().message;
  CHECK_THAT(m, Catch::Contains("\"exp\"") && Catch::Contains("\"scope\"") &&
                    Catch::Contains("\"sub\"") && Catch::Contains("\"aud\""));

  CHECK(has_code(Claims::parse("[1]").error(), JwtErrc::Malformed));
  CHECK(has_code(Claims::parse("{").error(), JwtErrc::Malformed));
  CHECK(has_code(Claims::parse(R"({"exp":1e300})").error(), JwtErrc::Malformed));
  CHECK(has_code(Claims::parse(R"({"a":[[1]]})", {.max_depth = 2}).error(), JwtErrc::Malformed));
}
