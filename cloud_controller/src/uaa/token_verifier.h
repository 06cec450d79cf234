#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "cloud_controller/src/uaa/revoked_tokens.h"
#include "common/core/result.h"
#include "common/core/time.h"
#include "common/jwt/key_set.h"

namespace cupola::cc::uaa {

// Who is calling, from a verified access token.
struct Caller {
  std::string jti;
  std::string user_id;  // empty for a client's own token (client_credentials)
  std::string user_name;
  std::string origin;
  std::string email;
  std::string client_id;
  std::vector<std::string> scopes;
  TimePoint expires_at{};

  bool is_user() const { return !user_id.empty(); }
  bool has_scope(std::string_view scope) const;
  // cloud_controller.admin: may do anything in the Cloud Controller.
  bool is_admin() const { return has_scope("cloud_controller.admin"); }
};

struct VerifierOptions {
  // The Cloud Controller checks the tokens it signed itself, on the same clock: no skew to
  // allow for.
  std::chrono::seconds leeway{0};
};

// Checks bearer tokens for the rest of the Cloud Controller: the RS256 signature against
// the issuer's keys, exp, iss, that it is an access token (a refresh token's "-r" jti is
// refused), and that its jti is not revoked. Read-only after construction and thread-safe;
// `revoked` must outlive it.
class TokenVerifier {
 public:
  TokenVerifier(jwt::KeySet keys, std::string issuer, const RevokedTokens& revoked,
                VerifierOptions options = {});

  // `authorization_header` is the whole header value, "bearer <token>" with the scheme in
  // any letter case (the cf CLI sends "bearer"). UaaErrc::Unauthenticated when the header is
  // empty or not a bearer token; UaaErrc::InvalidToken, with the reason, for a token that
  // fails any check.
  Result<Caller> authenticate(std::string_view authorization_header, TimePoint now) const;

  // The same checks on a bare token.
  Result<Caller> verify_access_token(std::string_view token, TimePoint now) const;

  const jwt::KeySet& keys() const { return keys_; }

 private:
  jwt::KeySet keys_;
  std::string issuer_;
  const RevokedTokens& revoked_;
  VerifierOptions options_;
};

// The token of "bearer <token>" (scheme in any case), or "" when the header is not one.
std::string_view bearer_token(std::string_view authorization_header);

}  // namespace cupola::cc::uaa
