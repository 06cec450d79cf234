// POST /oauth/token: the password and client_credentials grants and every refusal, with
// the exact bodies the cf CLI reads. Runs against every backend of the binary.

#include <catch2/catch.hpp>

#include "test/cloud_controller/uaa/harness.h"

using namespace cupola;
using namespace cupola::cc::uaa;
using namespace cupola::cc::uaa::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kBadCredentialsBody =
    R"({"error":"unauthorized","error_description":"Bad credentials"})";
constexpr const char* kLockedBody =
    R"({"error":"unauthorized","error_description":"Your account has been locked because of too many failed attempts to login."})";

std::vector<std::string> strings(const json::Value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.GetArray()) out.emplace_back(s.GetString());
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("The password grant issues the tokens the cf CLI needs", "[token]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  User bob = h.add_user("bob", "s3cret");

  auto res = h.token("grant_type=password&username=bob&password=s3cret");
  REQUIRE(res.result_int() == 200);
  CHECK(res[http::bhttp::field::cache_control] == "no-store");
  auto body = body_json(res);
  CHECK(std::string(body["token_type"].GetString()) == "bearer");
  CHECK(body["expires_in"].GetInt64() == 1200);
  CHECK(std::string(body["scope"].GetString()) ==
        "openid cloud_controller.read cloud_controller.write password.write uaa.user");
  std::string access = body["access_token"].GetString();
  std::string refresh = body["refresh_token"].GetString();
  CHECK(std::count(access.begin(), access.end(), '.') == 2);
  CHECK(access.find('=') == std::string::npos);

  SECTION("the access token carries UAA's claims") {
    auto claims = decode_claims(access);
    CHECK(claims.jti() == std::string(body["jti"].GetString()));
    CHECK(claims.sub() == bob.guid);
    CHECK(claims.user_id() == bob.guid);
    CHECK(claims.user_name() == "bob");
    CHECK(claims.origin() == "uaa");
    CHECK(claims.email() == "bob@example.com");
    CHECK(claims.client_id() == "cf");
    CHECK(claims.cid() == "cf");
    CHECK(std::string(claims.find("azp")->GetString()) == "cf");
    CHECK(claims.grant_type() == "password");
    CHECK(claims.zid() == "uaa");
    CHECK(claims.iss() == std::string(kUaaUrl) + "/oauth/token");
    CHECK(claims.has_audience("cf"));
    CHECK(claims.has_audience("cloud_controller"));
    CHECK(claims.find("scope")->IsArray());
    CHECK(claims.has_scope("cloud_controller.read"));
    CHECK_FALSE(claims.has_scope("cloud_controller.admin"));
    CHECK(*claims.exp() - *claims.iat() == 1200);
    CHECK(claims.find("revocable")->GetBool());
    CHECK(claims.find("rev_sig")->IsString());
  }
  SECTION("the refresh token is a JWT for the same user with a -r id") {
    auto claims = decode_claims(refresh);
    CHECK(claims.jti()->ends_with("-r"));
    CHECK(claims.user_id() == bob.guid);
    CHECK(claims.user_name() == "bob");
    CHECK(claims.origin() == "uaa");
    CHECK(claims.cid() == "cf");
    CHECK(claims.find("scope") == nullptr);
    CHECK(strings(*claims.find("granted_scopes")).size() == 5);
    CHECK(*claims.exp() - *claims.iat() == std::int64_t{30} * 24 * 3600);
  }
  SECTION("the access token passes the Cloud Controller's check") {
    auto caller = h.verifier.authenticate("bearer " + access, h.clock.now());
    REQUIRE(caller);
    CHECK(caller->user_id == bob.guid);
    CHECK(caller->user_name == "bob");
    CHECK(caller->client_id == "cf");
    CHECK_FALSE(caller->is_admin());
  }
  SECTION("usernames match in any letter case") {
    CHECK(h.token("grant_type=password&username=BOB&password=s3cret").result_int() == 200);
  }
  SECTION("an administrator's token carries the admin scopes") {
    h.add_user("root", "pw", true);
    auto pair = h.login("root", "pw");
    auto scopes = strings(*decode_claims(pair.access).find("scope"));
    for (const char* s : {"cloud_controller.admin", "uaa.admin", "scim.read", "scim.write",
                          "doppler.firehose", "logs.admin", "cloud_controller.read"}) {
      INFO(s);
      CHECK(contains(scopes, s));
    }
  }
  SECTION("a login_hint naming the uaa origin is accepted, any other refused") {
    auto ok = h.token("grant_type=password&username=bob&password=s3cret&login_hint=" +
                      std::string("%7B%22origin%22%3A%22uaa%22%7D"));
    CHECK(ok.result_int() == 200);
    auto ldap = h.call(http::Verb::post, "/oauth/token?login_hint=%7B%22origin%22%3A%22ldap%22%7D",
                       "grant_type=password&username=bob&password=s3cret",
                       {{"Authorization", basic_auth("cf", "")}});
    CHECK(ldap.result_int() == 401);
    CHECK(ldap.body() == kBadCredentialsBody);
  }
}

TEST_CASE("The password grant refuses bad credentials as UAA does", "[token]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  h.add_user("bob", "s3cret");

  SECTION("a wrong password") {
    auto res = h.token("grant_type=password&username=bob&password=nope");
    CHECK(res.result_int() == 401);
    CHECK(res.body() == kBadCredentialsBody);
    CHECK(res[http::bhttp::field::www_authenticate].starts_with("Bearer realm=\"UAA\""));
  }
  SECTION("an unknown user") {
    auto res = h.token("grant_type=password&username=carol&password=s3cret");
    CHECK(res.result_int() == 401);
    CHECK(res.body() == kBadCredentialsBody);
  }
  SECTION("a deactivated user") {
    User u = *h.run(h.backend->users().find_by_username("bob")).value();
    u.active = false;
    REQUIRE(h.run(h.backend->users().save(u, h.clock.now())));
    auto res = h.token("grant_type=password&username=bob&password=s3cret");
    CHECK(res.result_int() == 401);
    CHECK(res.body() == kBadCredentialsBody);
  }
  SECTION("no password") {
    auto res = h.token("grant_type=password&username=bob");
    CHECK(res.result_int() == 401);
    CHECK(res.body() == kBadCredentialsBody);
  }
  SECTION("no client authentication") {
    auto res = h.token("grant_type=password&username=bob&password=s3cret", "");
    CHECK(res.result_int() == 401);
    CHECK(
        res.body() ==
        R"({"error":"unauthorized","error_description":"Full authentication is required to access this resource"})");
  }
  SECTION("a wrong client secret or an unknown client") {
    for (const auto& auth :
         {basic_auth("cf", "x"), basic_auth("nobody", ""), std::string("Basic !!!")}) {
      INFO(auth);
      auto res = h.token("grant_type=password&username=bob&password=s3cret", auth);
      CHECK(res.result_int() == 401);
      CHECK(res.body() == kBadCredentialsBody);
    }
  }
  SECTION("no grant type") {
    auto res = h.token("username=bob&password=s3cret");
    CHECK(res.result_int() == 400);
    CHECK(res.body() == R"({"error":"invalid_request","error_description":"Missing grant type"})");
  }
  SECTION("a grant type the server does not have") {
    for (const char* grant : {"implicit", "authorization_code", "urn:x"}) {
      INFO(grant);
      auto res = h.token(std::string("grant_type=") + grant);
      CHECK(res.result_int() == 400);
      CHECK(res.body() ==
            R"({"error":"unsupported_grant_type","error_description":"Unsupported grant type"})");
    }
  }
  SECTION("a grant the client is not registered for") {
    auto res = h.token("grant_type=client_credentials&client_id=cf&client_secret=", "");
    CHECK(res.result_int() == 401);
    CHECK(res.body() ==
          R"({"error":"invalid_client","error_description":"Unauthorized grant type"})");
  }
}

TEST_CASE("Repeated failed logins lock the account", "[token][lockout]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  h.add_user("bob", "s3cret");
  auto attempt = [&h](const char* password) {
    return h.token(std::string("grant_type=password&username=bob&password=") + password);
  };

  for (int i = 0; i < 5; ++i) {
    auto res = attempt("wrong");
    REQUIRE(res.result_int() == 401);
    REQUIRE(res.body() == kBadCredentialsBody);
  }

  SECTION("while locked even the right password is refused with UAA's sentence") {
    auto res = attempt("s3cret");
    CHECK(res.result_int() == 401);
    CHECK(res.body() == kLockedBody);
  }
  SECTION("the lock lifts after five minutes") {
    h.clock.advance(299s);
    CHECK(attempt("s3cret").body() == kLockedBody);
    h.clock.advance(1s);
    CHECK(attempt("s3cret").result_int() == 200);
    // The count started again: four more failures do not lock.
    for (int i = 0; i < 4; ++i) CHECK(attempt("wrong").body() == kBadCredentialsBody);
    CHECK(attempt("s3cret").result_int() == 200);
  }
}

TEST_CASE("Failures spread beyond the counting window do not lock", "[token][lockout]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  h.add_user("bob", "s3cret");
  auto attempt = [&h](const char* password) {
    return h.token(std::string("grant_type=password&username=bob&password=") + password);
  };
  for (int i = 0; i < 4; ++i) REQUIRE(attempt("wrong").result_int() == 401);
  h.clock.advance(21min);
  for (int i = 0; i < 4; ++i) REQUIRE(attempt("wrong").body() == kBadCredentialsBody);
  CHECK(attempt("s3cret").result_int() == 200);
}

TEST_CASE("The client_credentials grant issues client tokens", "[token]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());

  SECTION("with the credentials in the form, as cf auth --client-credentials sends them") {
    auto res = h.token(std::string("grant_type=client_credentials&client_id=component&") +
                           "client_secret=" + kComponentSecret,
                       "");
    REQUIRE(res.result_int() == 200);
    auto body = body_json(res);
    CHECK_FALSE(body.HasMember("refresh_token"));
    CHECK(std::string(body["scope"].GetString()) == "uaa.resource doppler.firehose");
    auto claims = decode_claims(body["access_token"].GetString());
    CHECK(claims.sub() == "component");
    CHECK(claims.client_id() == "component");
    CHECK(claims.grant_type() == "client_credentials");
    CHECK_FALSE(claims.user_name());
    CHECK(strings(*claims.find("authorities")).size() == 2);
    auto caller = h.verifier.authenticate("bearer " + std::string(body["access_token"].GetString()),
                                          h.clock.now());
    REQUIRE(caller);
    CHECK_FALSE(caller->is_user());
    CHECK(caller->has_scope("doppler.firehose"));
  }
  SECTION("with HTTP Basic") {
    auto res = h.token("grant_type=client_credentials", basic_auth("component", kComponentSecret));
    CHECK(res.result_int() == 200);
  }
  SECTION("a wrong secret") {
    auto res = h.token("grant_type=client_credentials&client_id=component&client_secret=x", "");
    CHECK(res.result_int() == 401);
    CHECK(res.body() == kBadCredentialsBody);
  }
  SECTION("a component client may not use the password grant") {
    h.add_user("bob", "s3cret");
    auto res = h.token("grant_type=password&username=bob&password=s3cret",
                       basic_auth("component", kComponentSecret));
    CHECK(res.result_int() == 401);
    CHECK(res.body() ==
          R"({"error":"invalid_client","error_description":"Unauthorized grant type"})");
  }
}
