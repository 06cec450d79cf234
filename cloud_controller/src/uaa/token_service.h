#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/uaa/clients.h"
#include "cloud_controller/src/uaa/password_hash.h"
#include "cloud_controller/src/uaa/revocation_store.h"
#include "cloud_controller/src/uaa/revoked_tokens.h"
#include "cloud_controller/src/uaa/token_issuer.h"
#include "cloud_controller/src/uaa/token_verifier.h"
#include "cloud_controller/src/uaa/user_store.h"
#include "common/core/clock.h"
#include "common/log/log.h"

namespace cupola::cc::uaa {

// One POST /oauth/token, decoded. Fields a grant does not use are ignored.
struct TokenRequest {
  std::string grant_type;
  std::optional<ClientCredentials> client;
  std::string username;
  std::string password;
  std::string refresh_token;
  // The origin of the cf CLI's login_hint ({"origin":"..."}), when it sent one.
  std::optional<std::string> login_hint_origin;
};

// What POST /oauth/token answers.
struct TokenGrant {
  IssuedToken access;
  // Absent for client_credentials.
  std::optional<std::string> refresh_token;
  std::vector<std::string> scopes;
};

struct TokenServiceOptions {
  LockoutPolicy lockout;
};

// The token endpoint's rules, after UAA: the password, refresh_token and client_credentials
// grants, account lockout, and revocation. Runs on one executor (the Cloud Controller's);
// password hashing goes to the hasher's pool. Every reference must outlive the service.
//
// Errors (errors.h), checked in this order:
//   client:  no credentials → Unauthenticated; unknown client or wrong secret →
//            BadCredentials;
//   grant:   none → InvalidRequest "Missing grant type"; not one of the three →
//            UnsupportedGrantType; one the client is not registered for → InvalidClient;
//   password: unknown or inactive user, wrong password, or a login_hint origin other than
//            "uaa" → BadCredentials; a locked account → AccountLocked (the password is not
//            even checked). Each wrong password counts towards the lockout;
//   refresh: no token → InvalidRequest; a token that is not a valid, unexpired, unrevoked
//            refresh token of this issuer for a user that still exists and is active, or
//            whose rev_sig no longer matches → InvalidToken; another client's → InvalidGrant.
// Storage failures come back as they are (500).
class TokenService {
 public:
  TokenService(UserStore& users, RevocationStore& revocations, RevokedTokens& revoked,
               const TokenIssuer& issuer, const ClientRegistry& clients,
               const PasswordHasher& hasher, const Clock& clock, TokenServiceOptions options,
               log::Logger log);

  boost::asio::awaitable<Result<TokenGrant>> grant(TokenRequest request);

  // Revokes token `jti` (DELETE /oauth/token/revoke/:jti). The caller may revoke the token
  // it presents, and holders of tokens.revoke or uaa.admin any token; anyone else gets
  // AccessDenied. The id stays on the list until the token would have expired.
  boost::asio::awaitable<Status> revoke(Caller caller, std::string jti);

 private:
  boost::asio::awaitable<Result<TokenGrant>> password_grant(const ClientRegistration* client,
                                                            TokenRequest request);
  boost::asio::awaitable<Result<TokenGrant>> refresh_grant(const ClientRegistration* client,
                                                           std::string refresh_token);
  Result<TokenGrant> client_credentials_grant(const ClientRegistration& client);
  Result<TokenGrant> user_grant(const User& user, const ClientRegistration& client,
                                std::vector<std::string> scopes, std::string_view grant_type,
                                std::optional<std::string> refresh_token);
  // A password check's worth of work for an unknown user, so the answer takes as long.
  boost::asio::awaitable<void> waste_a_verify(std::string password);

  UserStore& users_;
  RevocationStore& revocations_;
  RevokedTokens& revoked_;
  const TokenIssuer& issuer_;
  const ClientRegistry& clients_;
  const PasswordHasher& hasher_;
  const Clock& clock_;
  TokenServiceOptions options_;
  log::Logger log_;
  std::string dummy_hash_;
};

}  // namespace cupola::cc::uaa
