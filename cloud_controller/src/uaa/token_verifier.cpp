#include "cloud_controller/src/uaa/token_verifier.h"

#include <algorithm>
#include <cctype>

#include "cloud_controller/src/uaa/errors.h"
#include "cloud_controller/src/uaa/token_issuer.h"
#include "common/jwt/jws.h"

namespace cupola::cc::uaa {

bool Caller::has_scope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::string_view bearer_token(std::string_view header) {
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size() || header[kScheme.size()] != ' ') return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  header.remove_prefix(kScheme.size());
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  return header;
}

TokenVerifier::TokenVerifier(jwt::KeySet keys, std::string issuer, const RevokedTokens& revoked,
                             VerifierOptions options)
    : keys_(std::move(keys)), issuer_(std::move(issuer)), revoked_(revoked), options_(options) {}

Result<Caller> TokenVerifier::authenticate(std::string_view authorization_header,
                                           TimePoint now) const {
  std::string_view token = bearer_token(authorization_header);
  if (token.empty()) return uaa_error(UaaErrc::Unauthenticated, kFullAuthenticationRequired);
  return verify_access_token(token, now);
}

Result<Caller> TokenVerifier::verify_access_token(std::string_view token, TimePoint now) const {
  jwt::VerifyOptions verify;
  verify.leeway = options_.leeway;
  auto claims = jwt::verify_rs256(token, keys_, now, verify);
  if (!claims) return uaa_error(UaaErrc::InvalidToken, claims.error().message);
  if (claims->iss() != issuer_) {
    return uaa_error(UaaErrc::InvalidToken, "Invalid issuer (" + claims->iss().value_or("") +
                                                ") for token did not match expected: " + issuer_);
  }
  const auto& jti = claims->jti();
  if (!jti || jti->empty() || jti->ends_with(kRefreshJtiSuffix)) {
    return uaa_error(UaaErrc::InvalidToken, "Invalid access token.");
  }
  if (revoked_.contains(*jti)) {
    return uaa_error(UaaErrc::InvalidToken, "The token has been revoked: " + *jti);
  }
  Caller c;
  c.jti = *jti;
  c.client_id = claims->client_id().value_or(claims->cid().value_or(""));
  if (c.client_id.empty()) return uaa_error(UaaErrc::InvalidToken, "Token bears no client ID.");
  c.user_id = claims->user_id().value_or("");
  c.user_name = claims->user_name().value_or("");
  if (!c.user_id.empty() && c.user_name.empty()) {
    return uaa_error(UaaErrc::InvalidToken, "Token bears a USER_ID claim but no user name.");
  }
  c.origin = claims->origin().value_or("");
  c.email = claims->email().value_or("");
  c.scopes = claims->scope();
  c.expires_at = TimePoint(std::chrono::seconds(claims->exp().value_or(0)));
  return c;
}

}  // namespace cupola::cc::uaa
