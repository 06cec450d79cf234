#pragma once

// A token service over one backend, with a fake clock, its routes, and helpers that call
// the routed handlers directly (no sockets) and decode what they answer.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "cloud_controller/src/uaa/clients.h"
#include "cloud_controller/src/uaa/password_hash.h"
#include "cloud_controller/src/uaa/revoked_tokens.h"
#include "cloud_controller/src/uaa/routes.h"
#include "cloud_controller/src/uaa/token_issuer.h"
#include "cloud_controller/src/uaa/token_service.h"
#include "cloud_controller/src/uaa/token_verifier.h"
#include "cloud_controller/src/uaa/users.h"
#include "common/core/clock.h"
#include "common/core/guid.h"
#include "common/http/router.h"
#include "common/json/json.h"
#include "common/jwt/claims.h"
#include "common/log/log.h"
#include "test/cloud_controller/uaa/backend.h"

namespace cupola::cc::uaa::test {

// Cheap hashing keeps the tests fast; password_hash_test covers the real cost.
inline constexpr std::uint32_t kTestIterations = 1000;
inline constexpr const char* kUaaUrl = "https://uaa.example.com";
inline constexpr const char* kLoginUrl = "https://login.example.com";
inline constexpr const char* kComponentSecret = "component-secret";

// One 2048-bit key for the whole test binary: generating one takes a while.
const SigningKey& test_signing_key();
// Another key under the same kid, for forged tokens.
const SigningKey& forger_signing_key();

// "Basic " + base64("id:secret").
std::string basic_auth(std::string_view id, std::string_view secret);
// The claims of a token, read without checking it.
jwt::Claims decode_claims(const std::string& token);
// The body as JSON (fails the test when it is not).
json::Document body_json(const http::Response& res);

struct TokenPair {
  std::string access;
  std::string refresh;
  std::string jti;
};

class Harness {
 public:
  explicit Harness(std::unique_ptr<Backend> backend_, LockoutPolicy lockout = {});
  ~Harness();

  template <class T>
  T run(boost::asio::awaitable<T> op) {
    return backend->run(std::move(op));
  }

  // Routes one request to its handler and returns the answer.
  http::Response call(http::Verb verb, const std::string& target, std::string body = {},
                      const std::vector<std::pair<std::string, std::string>>& headers = {});
  // POST /oauth/token with `form`, authenticated as client cf unless `authorization` says
  // otherwise ("" for none).
  http::Response token(const std::string& form, const std::string& authorization);
  http::Response token(const std::string& form) { return token(form, basic_auth("cf", "")); }
  // A request with "Authorization: bearer <access_token>".
  http::Response call_as(const std::string& access_token, http::Verb verb,
                         const std::string& target, std::string body = {});

  // Creates a user through UserAdmin (fails the test on error).
  User add_user(const std::string& username, const std::string& password, bool admin = false);
  // A password grant that must succeed.
  TokenPair login(const std::string& username, const std::string& password);

  std::unique_ptr<Backend> backend;
  FakeClock clock;
  RandomGuidGenerator guids{7};
  boost::asio::thread_pool pool{1};
  PasswordHasher hasher;
  std::shared_ptr<log::MemorySink> sink;
  log::Logger log;
  TokenIssuer issuer;
  RevokedTokens revoked;
  TokenVerifier verifier;
  ClientRegistry clients;
  TokenService tokens;
  UserAdmin users;
  http::Router router;
};

}  // namespace cupola::cc::uaa::test
