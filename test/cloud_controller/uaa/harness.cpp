#include "test/cloud_controller/uaa/harness.h"

#include <stdexcept>

#include <catch2/catch.hpp>

#include "common/core/base64.h"
#include "common/jwt/base64url.h"

namespace cupola::cc::uaa::test {

namespace {

SigningKey generate(std::string kid) {
  auto key = jwt::RsaKey::generate();
  if (!key) throw std::runtime_error("cannot generate a key: " + key.error().describe());
  return SigningKey{std::move(kid), std::move(*key)};
}

TokenIssuer make_issuer(GuidGenerator& guids) {
  auto issuer = TokenIssuer::create(test_signing_key(), {}, kUaaUrl, TokenLifetimes{}, guids);
  if (!issuer) throw std::runtime_error("cannot make the issuer: " + issuer.error().describe());
  return std::move(*issuer);
}

std::vector<ClientRegistration> test_clients() {
  return {
      {.id = "component",
       .secret = kComponentSecret,
       .scopes = {"uaa.resource", "doppler.firehose"},
       .grant_types = {"client_credentials"}},
      {.id = "other", .secret = "", .scopes = {}, .grant_types = {"password", "refresh_token"}},
  };
}

}  // namespace

const SigningKey& test_signing_key() {
  static const SigningKey key = generate("test-key");
  return key;
}

const SigningKey& forger_signing_key() {
  static const SigningKey key = generate("test-key");
  return key;
}

std::string basic_auth(std::string_view id, std::string_view secret) {
  std::string pair(id);
  pair += ':';
  pair += secret;
  return "Basic " + base64_encode(pair);
}

jwt::Claims decode_claims(const std::string& token) {
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  REQUIRE(second != std::string::npos);
  auto payload =
      jwt::base64url_decode(std::string_view(token).substr(first + 1, second - first - 1));
  REQUIRE(payload);
  auto claims = jwt::Claims::parse(*payload);
  REQUIRE(claims);
  return std::move(*claims);
}

json::Document body_json(const http::Response& res) {
  auto doc = json::parse(res.body());
  INFO("body: " << res.body());
  REQUIRE(doc);
  return std::move(*doc);
}

Harness::Harness(std::unique_ptr<Backend> backend_, LockoutPolicy lockout)
    : backend(std::move(backend_)),
      hasher(pool.get_executor(), PasswordHashOptions{kTestIterations}),
      sink(std::make_shared<log::MemorySink>()),
      log(sink, clock, "cc", log::Level::Debug),
      issuer(make_issuer(guids)),
      verifier(issuer.keys(), issuer.issuer(), revoked),
      clients(test_clients()),
      tokens(backend->users(), backend->revocations(), revoked, issuer, clients, hasher, clock,
             TokenServiceOptions{lockout}, log),
      users(backend->users(), hasher, guids, clock, log) {
  add_uaa_routes(router,
                 UaaRoutes{LoginInfo{kLoginUrl, kUaaUrl}, issuer, tokens, users, verifier, clock});
}

Harness::~Harness() { pool.join(); }

http::Response Harness::call(http::Verb verb, const std::string& target, std::string body,
                             const std::vector<std::pair<std::string, std::string>>& headers) {
  http::Request req{verb, target, 11};
  req.set(http::bhttp::field::host, "uaa.example.com");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = std::move(body);
  req.prepare_payload();
  auto lookup = router.find(verb, http::target_path(target));
  INFO(target);
  REQUIRE(lookup.kind == http::Router::Lookup::Kind::Found);
  http::RequestContext ctx(std::move(req), "127.0.0.1", log, backend->io().get_executor(), nullptr);
  ctx.params = lookup.params;
  return run(lookup.route->handler(ctx));
}

http::Response Harness::token(const std::string& form, const std::string& authorization) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "application/x-www-form-urlencoded"}};
  if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
  return call(http::Verb::post, "/oauth/token", form, headers);
}

http::Response Harness::call_as(const std::string& access_token, http::Verb verb,
                                const std::string& target, std::string body) {
  return call(verb, target, std::move(body),
              {{"Authorization", "bearer " + access_token}, {"Content-Type", "application/json"}});
}

User Harness::add_user(const std::string& username, const std::string& password, bool admin) {
  NewUser u;
  u.username = username;
  u.password = password;
  u.email = username + "@example.com";
  u.admin = admin;
  auto created = run(users.create(std::move(u)));
  INFO((created ? "" : created.error().describe()));
  REQUIRE(created);
  return std::move(*created);
}

TokenPair Harness::login(const std::string& username, const std::string& password) {
  auto res = token("grant_type=password&username=" + username + "&password=" + password);
  INFO(res.body());
  REQUIRE(res.result_int() == 200);
  auto doc = body_json(res);
  return TokenPair{doc["access_token"].GetString(), doc["refresh_token"].GetString(),
                   doc["jti"].GetString()};
}

}  // namespace cupola::cc::uaa::test
