#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "cloud_controller/src/uaa/user.h"
#include "common/core/guid.h"
#include "common/core/result.h"
#include "common/core/time.h"
#include "common/jwt/key_set.h"
#include "common/jwt/rsa_key.h"

namespace cupola::cc::uaa {

// An RS256 key and the id ("kid") tokens name it by.
struct SigningKey {
  std::string kid;
  jwt::RsaKey key;
};

struct TokenLifetimes {
  std::chrono::seconds access{20 * 60};
  std::chrono::seconds refresh{30 * 24 * 3600};
};

// A signed token and the claims callers need without decoding it.
struct IssuedToken {
  std::string value;
  std::string jti;
  TimePoint issued_at{};
  TimePoint expires_at{};
};

// The zone every token names ("zid"), as UAA's default zone.
inline constexpr std::string_view kZoneId = "uaa";
// Refresh token ids end with this, as UAA's do; access tokens' never do, so neither kind
// can be used as the other.
inline constexpr std::string_view kRefreshJtiSuffix = "-r";

// Signs the token service's JWTs in UAA's shape (RS256, header "jku" = <uaa>/token_keys):
//  - user access tokens: jti, sub, scope (array), client_id, cid, azp, grant_type, user_id,
//    origin, user_name, email, rev_sig, iat, exp, iss, zid, aud, revocable: true;
//  - refresh tokens: jti "<id>-r", sub, iat, exp, cid, client_id, iss, zid, aud,
//    granted_scopes, amr ["pwd"], grant_type, user_name, origin, user_id, revocable, rev_sig;
//  - client access tokens: jti, sub (the client id), authorities and scope (arrays),
//    client_id, cid, azp, grant_type "client_credentials", iat, exp, iss, zid, aud.
// iss is "<uaa url>/oauth/token". Immutable after construction and thread-safe except for
// the GuidGenerator, which is itself thread-safe; `guids` must outlive the issuer.
class TokenIssuer {
 public:
  // `active` signs; `previous` keys are only published for verification (rotation).
  // `uaa_url` is the token service's public base URL, without a trailing '/'.
  // JwtErrc::InvalidKey when `active` cannot sign or kids collide.
  static Result<TokenIssuer> create(SigningKey active, std::vector<SigningKey> previous,
                                    std::string uaa_url, TokenLifetimes lifetimes,
                                    GuidGenerator& guids);

  Result<IssuedToken> user_access_token(const User& user, std::string_view client_id,
                                        std::string_view grant_type,
                                        const std::vector<std::string>& scopes,
                                        TimePoint now) const;
  Result<IssuedToken> user_refresh_token(const User& user, std::string_view client_id,
                                         std::string_view grant_type,
                                         const std::vector<std::string>& scopes,
                                         TimePoint now) const;
  Result<IssuedToken> client_access_token(std::string_view client_id,
                                          const std::vector<std::string>& scopes,
                                          TimePoint now) const;

  // The public keys, active first: what verifies our tokens.
  const jwt::KeySet& keys() const { return keys_; }
  // GET /token_keys: {"keys":[<JWK>...]}. GET /token_key: the active key's JWK.
  std::string token_keys_json() const { return keys_.to_token_keys(); }
  std::string token_key_json() const;

  const std::string& uaa_url() const { return uaa_url_; }
  // "<uaa url>/oauth/token", every token's "iss".
  const std::string& issuer() const { return issuer_; }
  const TokenLifetimes& lifetimes() const { return lifetimes_; }

 private:
  TokenIssuer(SigningKey active, jwt::KeySet keys, std::string uaa_url, TokenLifetimes lifetimes,
              GuidGenerator& guids);
  Result<std::string> sign(std::string_view claims_json) const;

  SigningKey active_;
  jwt::KeySet keys_;
  std::string uaa_url_;
  std::string issuer_;
  std::string header_fields_;
  TokenLifetimes lifetimes_;
  GuidGenerator* guids_;
};

// The "rev_sig" of a user's tokens: 16 hex digits of SHA-256 over the user id, the client
// id and the user's revocation salt. A refresh token whose rev_sig no longer matches the
// user's is refused, so rotating the salt revokes them all.
std::string revocation_signature(std::string_view user_id, std::string_view client_id,
                                 std::string_view salt);

}  // namespace cupola::cc::uaa
