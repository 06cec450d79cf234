#include "cloud_controller/src/uaa/token_issuer.h"

#include <catch2/catch.hpp>

#include "cloud_controller/src/uaa/scopes.h"
#include "common/jwt/base64url.h"
#include "common/jwt/jws.h"
#include "test/cloud_controller/uaa/harness.h"

using namespace cupola;
using namespace cupola::cc::uaa;
using namespace cupola::cc::uaa::test;

namespace {

const TimePoint kNow{std::chrono::seconds{1'700'000'000}};

User bob() {
  User u;
  u.guid = "5a9b-bob";
  u.username = "bob";
  u.email = "bob@example.com";
  u.revocation_salt = "salt";
  return u;
}

json::Document header_of(const std::string& token) {
  auto header = jwt::base64url_decode(std::string_view(token).substr(0, token.find('.')));
  REQUIRE(header);
  auto doc = json::parse(*header);
  REQUIRE(doc);
  return std::move(*doc);
}

}  // namespace

TEST_CASE("TokenIssuer signs RS256 tokens in UAA's shape", "[issuer]") {
  RandomGuidGenerator guids(1);
  auto issuer = TokenIssuer::create(test_signing_key(), {}, "https://uaa.example.com/",
                                    TokenLifetimes{}, guids);
  REQUIRE(issuer);
  CHECK(issuer->issuer() == "https://uaa.example.com/oauth/token");

  auto access = issuer->user_access_token(bob(), "cf", "password", user_scopes(false), kNow);
  REQUIRE(access);
  CHECK(access->expires_at - access->issued_at == std::chrono::minutes(20));

  auto header = header_of(access->value);
  CHECK(std::string(header["alg"].GetString()) == "RS256");
  CHECK(std::string(header["kid"].GetString()) == "test-key");
  CHECK(std::string(header["typ"].GetString()) == "JWT");
  CHECK(std::string(header["jku"].GetString()) == "https://uaa.example.com/token_keys");

  auto claims = jwt::verify_rs256(access->value, issuer->keys(), kNow);
  REQUIRE(claims);
  CHECK(claims->jti() == access->jti);
  CHECK(*claims->iat() == 1'700'000'000);
  CHECK(*claims->exp() == 1'700'001'200);
  CHECK(claims->aud() ==
        std::vector<std::string>{"cf", "openid", "cloud_controller", "password", "uaa"});
  CHECK(std::string(claims->find("rev_sig")->GetString()) ==
        revocation_signature("5a9b-bob", "cf", "salt"));

  SECTION("refresh tokens last 30 days and cannot pass for access tokens") {
    auto refresh = issuer->user_refresh_token(bob(), "cf", "password", user_scopes(false), kNow);
    REQUIRE(refresh);
    CHECK(refresh->jti.ends_with("-r"));
    CHECK(refresh->expires_at - refresh->issued_at == std::chrono::hours(24 * 30));
    auto rc = jwt::verify_rs256(refresh->value, issuer->keys(), kNow);
    REQUIRE(rc);
    CHECK(rc->scope().empty());
    CHECK(rc->find("granted_scopes")->Size() == 5);
    CHECK(std::string(rc->find("amr")->GetArray()[0].GetString()) == "pwd");
  }
  SECTION("client tokens name the client as subject and carry its authorities") {
    auto client = issuer->client_access_token("logstore", {"uaa.resource"}, kNow);
    REQUIRE(client);
    auto cc = jwt::verify_rs256(client->value, issuer->keys(), kNow);
    REQUIRE(cc);
    CHECK(cc->sub() == "logstore");
    CHECK(cc->scope() == std::vector<std::string>{"uaa.resource"});
    CHECK(cc->find("authorities")->Size() == 1);
    CHECK_FALSE(cc->user_id());
    CHECK(cc->aud() == std::vector<std::string>{"logstore", "uaa"});
  }
  SECTION("previous keys are published for verification only") {
    SigningKey next{"new-key", forger_signing_key().key};
    auto rotated = TokenIssuer::create(next, {test_signing_key()}, "https://uaa.example.com",
                                       TokenLifetimes{}, guids);
    REQUIRE(rotated);
    CHECK(rotated->keys().size() == 2);
    CHECK(rotated->keys().entries()[0].kid == "new-key");
    // Tokens signed before the rotation still verify.
    CHECK(jwt::verify_rs256(access->value, rotated->keys(), kNow));
  }
}

TEST_CASE("TokenIssuer needs a private key and distinct kids", "[issuer]") {
  RandomGuidGenerator guids(1);
  auto public_only = jwt::RsaKey::from_public_pem(test_signing_key().key.public_pem());
  REQUIRE(public_only);
  CHECK_FALSE(TokenIssuer::create(SigningKey{"k", *public_only}, {}, "https://u", {}, guids));
  CHECK_FALSE(
      TokenIssuer::create(test_signing_key(), {test_signing_key()}, "https://u", {}, guids));
}

TEST_CASE("rev_sig depends on the user, the client and the salt", "[issuer]") {
  auto sig = revocation_signature("u", "cf", "s");
  CHECK(sig.size() == 16);
  CHECK(sig == revocation_signature("u", "cf", "s"));
  CHECK(sig != revocation_signature("u", "cf", "t"));
  CHECK(sig != revocation_signature("u", "other", "s"));
  CHECK(sig != revocation_signature("v", "cf", "s"));
}

TEST_CASE("audiences follow UAA's resource ids", "[issuer]") {
  CHECK(audiences("cf", {"openid", "cloud_controller.read", "cloud_controller.write", "scim.read",
                         "uaa.none", "plain"}) ==
        std::vector<std::string>{"cf", "openid", "cloud_controller", "scim"});
}
