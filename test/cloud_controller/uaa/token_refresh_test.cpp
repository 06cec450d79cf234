// The refresh_token grant and revocation, with a fake clock. Runs against every backend.

#include <catch2/catch.hpp>

#include "cloud_controller/src/uaa/errors.h"
#include "cloud_controller/src/uaa/revocation_sync.h"
#include "cloud_controller/src/uaa/scopes.h"
#include "test/cloud_controller/uaa/harness.h"

using namespace cupola;
using namespace cupola::cc::uaa;
using namespace cupola::cc::uaa::test;
using namespace std::chrono_literals;

namespace {

std::string refresh_form(const std::string& token) {
  return "grant_type=refresh_token&refresh_token=" + token;
}

std::string error_of(const http::Response& res) {
  auto doc = body_json(res);
  return doc["error"].GetString();
}

std::string description_of(const http::Response& res) {
  auto doc = body_json(res);
  return doc["error_description"].GetString();
}

}  // namespace

TEST_CASE("A refresh token gets a new access token after the old one expired", "[token]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  User bob = h.add_user("bob", "s3cret");
  auto pair = h.login("bob", "s3cret");

  h.clock.advance(21min);
  auto stale = h.verifier.authenticate("bearer " + pair.access, h.clock.now());
  REQUIRE_FALSE(stale);
  CHECK(has_code(stale.error(), UaaErrc::InvalidToken));

  auto res = h.token(refresh_form(pair.refresh));
  REQUIRE(res.result_int() == 200);
  auto body = body_json(res);
  std::string access = body["access_token"].GetString();
  CHECK(std::string(body["token_type"].GetString()) == "bearer");
  CHECK(std::string(body["refresh_token"].GetString()) == pair.refresh);
  CHECK(std::string(body["jti"].GetString()) != pair.jti);
  auto caller = h.verifier.authenticate("bearer " + access, h.clock.now());
  REQUIRE(caller);
  CHECK(caller->user_id == bob.guid);
  CHECK(caller->user_name == "bob");
  CHECK(decode_claims(access).grant_type() == "password");
}

TEST_CASE("The refresh grant refuses tokens it must not honour", "[token]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  User bob = h.add_user("bob", "s3cret");
  auto pair = h.login("bob", "s3cret");

  SECTION("no refresh token") {
    auto res = h.token("grant_type=refresh_token");
    CHECK(res.result_int() == 400);
    CHECK(
        res.body() ==
        R"({"error":"invalid_request","error_description":"refresh_token parameter not provided"})");
  }
  SECTION("a token that is not one") {
    auto res = h.token(refresh_form("garbage"));
    CHECK(res.result_int() == 401);
    CHECK(error_of(res) == "invalid_token");
  }
  SECTION("an expired refresh token") {
    h.clock.advance(24h * 30 + 1s);
    auto res = h.token(refresh_form(pair.refresh));
    CHECK(res.result_int() == 401);
    CHECK(res.body() ==
          R"j({"error":"invalid_token","error_description":"Invalid refresh token (expired)"})j");
  }
  SECTION("an access token in its place") {
    auto res = h.token(refresh_form(pair.access));
    CHECK(res.result_int() == 401);
    CHECK(res.body() ==
          R"({"error":"invalid_token","error_description":"Invalid refresh token."})");
  }
  SECTION("another client's refresh token") {
    auto res = h.token(refresh_form(pair.refresh), basic_auth("other", ""));
    CHECK(res.result_int() == 400);
    CHECK(
        res.body() ==
        R"({"error":"invalid_grant","error_description":"Wrong client for this refresh token: cf"})");
  }
  SECTION("a user who was deleted") {
    REQUIRE(h.run(h.backend->users().remove(bob.guid)));
    auto res = h.token(refresh_form(pair.refresh));
    CHECK(res.result_int() == 401);
    CHECK(description_of(res) == "Token bears a non-existent user ID: " + bob.guid);
  }
  SECTION("a user whose password changed since") {
    REQUIRE(h.run(ensure_admin(h.backend->users(), h.hasher, h.guids, h.clock, "bob", "n3w")));
    auto res = h.token(refresh_form(pair.refresh));
    CHECK(res.result_int() == 401);
    CHECK(res.body() ==
          R"({"error":"invalid_token","error_description":"revocable signature mismatch"})");
    CHECK(h.token("grant_type=password&username=bob&password=n3w").result_int() == 200);
  }
  SECTION("a token signed by another key under our kid") {
    auto forged = TokenIssuer::create(forger_signing_key(), {}, kUaaUrl, TokenLifetimes{}, h.guids);
    REQUIRE(forged);
    auto token =
        forged->user_refresh_token(bob, "cf", "password", user_scopes(false), h.clock.now());
    REQUIRE(token);
    auto res = h.token(refresh_form(token->value));
    CHECK(res.result_int() == 401);
    CHECK(error_of(res) == "invalid_token");
  }
}

TEST_CASE("Refreshed tokens carry the user's scopes as they are now", "[token]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  User root = h.add_user("root", "pw", true);
  auto pair = h.login("root", "pw");
  root.admin = false;
  REQUIRE(h.run(h.backend->users().save(root, h.clock.now())));
  auto res = h.token(refresh_form(pair.refresh));
  REQUIRE(res.result_int() == 200);
  auto claims = decode_claims(body_json(res)["access_token"].GetString());
  CHECK(claims.has_scope("cloud_controller.read"));
  CHECK_FALSE(claims.has_scope("cloud_controller.admin"));
}

TEST_CASE("cf logout revokes the access token", "[token][revoke]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  h.add_user("bob", "s3cret");
  h.add_user("eve", "pw");
  h.add_user("root", "pw", true);
  auto bob = h.login("bob", "s3cret");

  SECTION("the holder revokes its own token") {
    auto res = h.call_as(bob.access, http::Verb::delete_, "/oauth/token/revoke/" + bob.jti);
    CHECK(res.result_int() == 200);
    auto caller = h.verifier.authenticate("bearer " + bob.access, h.clock.now());
    REQUIRE_FALSE(caller);
    CHECK(caller.error().message == "The token has been revoked: " + bob.jti);
    CHECK(*h.run(h.backend->revocations().is_revoked(bob.jti)));
  }
  SECTION("another user may not revoke it") {
    auto eve = h.login("eve", "pw");
    auto res = h.call_as(eve.access, http::Verb::delete_, "/oauth/token/revoke/" + bob.jti);
    CHECK(res.result_int() == 403);
    CHECK(res.body() == R"({"error":"access_denied","error_description":"Access is denied"})");
    CHECK(h.verifier.authenticate("bearer " + bob.access, h.clock.now()));
  }
  SECTION("an administrator may revoke any token, refresh tokens too") {
    auto root = h.login("root", "pw");
    std::string refresh_jti = *decode_claims(bob.refresh).jti();
    auto res = h.call_as(root.access, http::Verb::delete_, "/oauth/token/revoke/" + refresh_jti);
    CHECK(res.result_int() == 200);
    auto refused = h.token(refresh_form(bob.refresh));
    CHECK(refused.result_int() == 401);
    CHECK(
        refused.body() ==
        R"({"error":"invalid_token","error_description":"The token expired, was revoked, or the token ID is incorrect."})");
  }
  SECTION("without a bearer token") {
    auto res = h.call(http::Verb::delete_, "/oauth/token/revoke/" + bob.jti);
    CHECK(res.result_int() == 401);
    CHECK(
        res.body() ==
        R"({"error":"unauthorized","error_description":"Full authentication is required to access this resource"})");
  }
  SECTION("with a revoked token") {
    REQUIRE(
        h.call_as(bob.access, http::Verb::delete_, "/oauth/token/revoke/" + bob.jti).result_int() ==
        200);
    auto res = h.call_as(bob.access, http::Verb::delete_, "/oauth/token/revoke/" + bob.jti);
    CHECK(res.result_int() == 401);
    CHECK(error_of(res) == "invalid_token");
  }
}

TEST_CASE("Another Cloud Controller learns of revocations through the store", "[token][revoke]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  h.add_user("bob", "s3cret");
  auto bob = h.login("bob", "s3cret");
  REQUIRE(
      h.call_as(bob.access, http::Verb::delete_, "/oauth/token/revoke/" + bob.jti).result_int() ==
      200);

  // A second CC: its own in-memory list, the same store and keys.
  RevokedTokens other_list;
  TokenVerifier other(h.issuer.keys(), h.issuer.issuer(), other_list);
  REQUIRE(other.authenticate("bearer " + bob.access, h.clock.now()));
  RevocationSync sync(h.backend->io().get_executor(), h.backend->revocations(), other_list, h.clock,
                      std::chrono::seconds(5), h.log);
  REQUIRE(h.run(sync.sync_once()));
  auto refused = other.authenticate("bearer " + bob.access, h.clock.now());
  REQUIRE_FALSE(refused);
  CHECK(has_code(refused.error(), UaaErrc::InvalidToken));

  SECTION("entries go once the token has expired anyway") {
    h.clock.advance(21min);
    REQUIRE(h.run(sync.sync_once()));
    CHECK(other_list.size() == 0);
    CHECK(h.run(h.backend->revocations().list_active(h.clock.now()))->empty());
  }
}
