#include "cloud_controller/src/uaa/token_verifier.h"

#include <catch2/catch.hpp>

#include "cloud_controller/src/uaa/errors.h"
#include "cloud_controller/src/uaa/http_answers.h"
#include "cloud_controller/src/uaa/scopes.h"
#include "common/jwt/base64url.h"
#include "test/cloud_controller/uaa/harness.h"

using namespace cupola;
using namespace cupola::cc::uaa;
using namespace cupola::cc::uaa::test;
using namespace std::chrono_literals;

namespace {

const TimePoint kNow{std::chrono::seconds{1'700'000'000}};

User alice() {
  User u;
  u.guid = "guid-alice";
  u.username = "alice";
  u.email = "alice@example.com";
  return u;
}

struct Fixture {
  RandomGuidGenerator guids{3};
  TokenIssuer issuer = *TokenIssuer::create(test_signing_key(), {}, kUaaUrl, {}, guids);
  RevokedTokens revoked;
  TokenVerifier verifier{issuer.keys(), issuer.issuer(), revoked};

  IssuedToken access(bool admin = false) {
    return *issuer.user_access_token(alice(), "cf", "password", user_scopes(admin), kNow);
  }
};

void check_invalid(const Result<Caller>& r, std::string_view why) {
  REQUIRE_FALSE(r);
  CHECK(has_code(r.error(), UaaErrc::InvalidToken));
  CHECK_THAT(r.error().message, Catch::Contains(std::string(why)));
}

}  // namespace

TEST_CASE("The verifier accepts a good bearer token and says who calls", "[verifier]") {
  Fixture f;
  auto token = f.access(true);
  for (std::string scheme : {"bearer ", "Bearer ", "BEARER  "}) {
    INFO(scheme);
    auto caller = f.verifier.authenticate(scheme + token.value, kNow + 1min);
    REQUIRE(caller);
    CHECK(caller->jti == token.jti);
    CHECK(caller->user_id == "guid-alice");
    CHECK(caller->user_name == "alice");
    CHECK(caller->origin == "uaa");
    CHECK(caller->email == "alice@example.com");
    CHECK(caller->client_id == "cf");
    CHECK(caller->is_user());
    CHECK(caller->is_admin());
    CHECK(caller->expires_at == token.expires_at);
  }
}

TEST_CASE("The verifier refuses what it must", "[verifier]") {
  Fixture f;
  auto token = f.access();

  SECTION("no header, or not a bearer token") {
    for (std::string header : {"", "bearer", "bearer ", "Basic Y2Y6", "bearertoken"}) {
      INFO(header);
      auto r = f.verifier.authenticate(header, kNow);
      REQUIRE_FALSE(r);
      CHECK(has_code(r.error(), UaaErrc::Unauthenticated));
    }
  }
  SECTION("an expired token") {
    CHECK(f.verifier.authenticate("bearer " + token.value, token.expires_at - 1s));
    check_invalid(f.verifier.authenticate("bearer " + token.value, token.expires_at), "expired");
  }
  SECTION("a token signed by another key under our kid") {
    RandomGuidGenerator guids(9);
    auto forger = TokenIssuer::create(forger_signing_key(), {}, kUaaUrl, {}, guids);
    REQUIRE(forger);
    auto forged = forger->user_access_token(alice(), "cf", "password", user_scopes(true), kNow);
    REQUIRE(forged);
    check_invalid(f.verifier.authenticate("bearer " + forged->value, kNow), "signature");
  }
  SECTION("claims altered after signing") {
    auto first = token.value.find('.');
    auto second = token.value.find('.', first + 1);
    auto payload = *jwt::base64url_decode(token.value.substr(first + 1, second - first - 1));
    auto at = payload.find("\"alice\"");
    REQUIRE(at != std::string::npos);
    payload.replace(at, 7, "\"admin\"");
    std::string tampered = token.value.substr(0, first + 1) + jwt::base64url_encode(payload) +
                           token.value.substr(second);
    check_invalid(f.verifier.authenticate("bearer " + tampered, kNow), "signature");
  }
  SECTION("a revoked token") {
    f.revoked.add(token.jti, token.expires_at);
    check_invalid(f.verifier.authenticate("bearer " + token.value, kNow), "revoked");
  }
  SECTION("a refresh token") {
    auto refresh = f.issuer.user_refresh_token(alice(), "cf", "password", user_scopes(false), kNow);
    REQUIRE(refresh);
    check_invalid(f.verifier.authenticate("bearer " + refresh->value, kNow),
                  "Invalid access token.");
  }
  SECTION("a token of another issuer") {
    RandomGuidGenerator guids(9);
    auto elsewhere =
        TokenIssuer::create(test_signing_key(), {}, "https://other.example.com", {}, guids);
    REQUIRE(elsewhere);
    auto other = elsewhere->user_access_token(alice(), "cf", "password", {}, kNow);
    check_invalid(f.verifier.authenticate("bearer " + other->value, kNow), "Invalid issuer");
  }
  SECTION("garbage") {
    check_invalid(f.verifier.authenticate("bearer a.b.c", kNow), "");
    check_invalid(f.verifier.authenticate("bearer " + token.value + "x", kNow), "");
  }
}

TEST_CASE("RevokedTokens keeps entries until their tokens expire", "[verifier]") {
  RevokedTokens r;
  r.add("a", kNow + 10s);
  r.add("a", kNow + 5s);  // the later expiry stays
  r.merge({RevokedToken{"b", "", "", kNow + 20s}});
  CHECK(r.contains("a"));
  CHECK(r.contains("b"));
  CHECK_FALSE(r.contains("c"));
  CHECK(r.prune(kNow + 10s) == 1);
  CHECK_FALSE(r.contains("a"));
  CHECK(r.size() == 1);
}

TEST_CASE("The Cloud Controller's 401 bodies", "[verifier]") {
  auto invalid = cc_invalid_auth_token_response();
  CHECK(invalid.result_int() == 401);
  CHECK(
      invalid.body() ==
      R"({"errors":[{"detail":"Invalid Auth Token","title":"CF-InvalidAuthToken","code":1000}]})");
  auto missing = cc_not_authenticated_response();
  CHECK(missing.result_int() == 401);
  CHECK(
      missing.body() ==
      R"({"errors":[{"detail":"Authentication error","title":"CF-NotAuthenticated","code":10002}]})");

  Fixture f;
  CHECK(cc_auth_error_response(f.verifier.authenticate("", kNow).error()).body() == missing.body());
  CHECK(cc_auth_error_response(f.verifier.authenticate("bearer x", kNow).error()).body() ==
        invalid.body());
}
