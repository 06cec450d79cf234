// GET /login, /info, /token_keys and /token_key.

#include <catch2/catch.hpp>

#include "common/jwt/jws.h"
#include "common/jwt/key_set.h"
#include "test/cloud_controller/uaa/harness.h"

using namespace cupola;
using namespace cupola::cc::uaa;
using namespace cupola::cc::uaa::test;

TEST_CASE("/login answers with the prompts cf login needs", "[login]") {
  Harness h(make_fake_backend());
  for (const char* path : {"/login", "/info"}) {
    INFO(path);
    // The cf CLI sends its bearer token here once logged in; it does not matter.
    auto res = h.call(http::Verb::get, path, "", {{"Authorization", "bearer whatever"}});
    REQUIRE(res.result_int() == 200);
    CHECK(res[http::bhttp::field::content_type] == "application/json");
    CHECK(
        res.body() ==
        R"({"app":{"version":"4.30.0"},"links":{"uaa":"https://uaa.example.com","login":"https://login.example.com"},)"
        R"("zone_name":"uaa","idpDefinitions":{},"prompts":{"username":["text","Email"],)"
        R"("password":["password","Password"]},"showLoginLinks":false})");
  }
}

TEST_CASE("/token_keys publishes the keys that verify issued tokens", "[login]") {
  Harness h(make_fake_backend());
  User bob = h.add_user("bob", "s3cret");
  auto pair = h.login("bob", "s3cret");

  auto res = h.call(http::Verb::get, "/token_keys");
  REQUIRE(res.result_int() == 200);
  auto doc = body_json(res);
  REQUIRE(doc["keys"].Size() == 1);
  const auto& jwk = doc["keys"][0];
  CHECK(std::string(jwk["kty"].GetString()) == "RSA");
  CHECK(std::string(jwk["alg"].GetString()) == "RS256");
  CHECK(std::string(jwk["use"].GetString()) == "sig");
  CHECK(std::string(jwk["kid"].GetString()) == "test-key");
  CHECK(std::string(jwk["value"].GetString()).starts_with("-----BEGIN PUBLIC KEY-----"));
  CHECK(jwk.HasMember("n"));
  CHECK(jwk.HasMember("e"));
  CHECK_FALSE(res.body().find("PRIVATE") != std::string::npos);

  // What another component does with it: parse the set, verify a token.
  auto keys = jwt::KeySet::from_token_keys(res.body());
  REQUIRE(keys);
  auto claims = jwt::verify_rs256(pair.access, *keys, h.clock.now());
  REQUIRE(claims);
  CHECK(claims->user_id() == bob.guid);
  CHECK(jwt::verify_rs256(pair.refresh, *keys, h.clock.now()));

  SECTION("/token_key is the active key alone") {
    auto one = h.call(http::Verb::get, "/token_key");
    REQUIRE(one.result_int() == 200);
    auto key_doc = body_json(one);
    auto key = jwt::RsaKey::from_jwk(key_doc);
    REQUIRE(key);
    CHECK(key->same_public_key(test_signing_key().key));
    CHECK(std::string(key_doc["kid"].GetString()) == "test-key");
  }
}
