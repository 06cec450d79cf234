#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "common/core/time.h"
#include "common/jwt/claims.h"
#include "common/jwt/key_set.h"
#include "common/jwt/rsa_key.h"

namespace cupola::jwt {

// Signs a JWT as a compact JWS (RFC 7515 §7.1), "<header>.<claims>.<signature>", each part
// base64url without padding. The header is {"alg":"RS256", <extra fields>, "kid":<kid>,
// "typ":"JWT"}; `header_json_fields` is a JSON object of extra header members (UAA adds
// "jku", the URL of its /token_keys), or empty for none, and must not set alg, kid, typ or
// crit. `claims_json` is a JSON object, signed byte for byte as given. An empty kid is left
// out of the header. Errc::InvalidArgument for bad JSON or a reserved header member;
// JwtErrc::InvalidKey when `key` has no private half.
Result<std::string> sign_rs256(std::string_view header_json_fields, std::string_view claims_json,
                               const RsaKey& key, std::string_view kid);

struct VerifyOptions {
  // Clock skew tolerated between issuer and verifier, for exp, nbf and iat.
  std::chrono::seconds leeway{30};
  // Whether a token without exp is refused (Malformed). Access and refresh tokens expire.
  bool require_exp = true;
  // Longer tokens are refused before anything is decoded.
  std::size_t max_token_bytes = 16 * 1024;
  // Nesting limit for the header and the claims.
  unsigned max_json_depth = 16;
};

// Verifies a compact JWS signed with RS256 and returns its claims. In order, and with the
// first failure's JwtErrc:
//   Malformed       over max_token_bytes, not three base64url parts, a header that is not a
//                   JSON object with a string alg, a non-string kid, a "crit" header;
//   WrongAlgorithm  alg is not exactly "RS256" ("none", "HS256", "RS512", ...);
//   UnknownKey      no key in `keys` has the header's kid, or the header has no kid and
//                   `keys` does not hold exactly one key;
//   BadSignature    the signature does not verify with that key;
//   Malformed       the claims are not a JSON object of well-typed claims (Claims::parse),
//                   or exp is missing while required;
//   Expired         now >= exp + leeway ("token expired");
//   NotYetValid     now + leeway < nbf, or now + leeway < iat.
// `now` comes from the caller's Clock; nothing here reads the time. Pure and thread-safe.
Result<Claims> verify_rs256(std::string_view token, const KeySet& keys, TimePoint now,
                            const VerifyOptions& options = {});

}  // namespace cupola::jwt
