#include "cloud_controller/src/uaa/token_issuer.h"

#include <openssl/evp.h>

#include "cloud_controller/src/uaa/scopes.h"
#include "common/json/json.h"
#include "common/jwt/errors.h"
#include "common/jwt/jws.h"

namespace cupola::cc::uaa {

namespace {

std::int64_t seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void write_list(json::Writer& w, std::string_view key, const std::vector<std::string>& items) {
  w.key(key).start_array();
  for (const auto& s : items) w.value(s);
  w.end_array();
}

// The claims every token shares, after its own: times, issuer, zone, audience.
void write_common(json::Writer& w, TimePoint now, TimePoint exp, const std::string& issuer,
                  std::string_view client_id, const std::vector<std::string>& scopes) {
  w.field("iat", seconds(now)).field("exp", seconds(exp));
  w.field("iss", issuer).field("zid", kZoneId);
  write_list(w, "aud", audiences(client_id, scopes));
}

void write_user(json::Writer& w, const User& user) {
  w.field("user_id", user.guid).field("origin", user.origin).field("user_name", user.username);
}

}  // namespace

std::string revocation_signature(std::string_view user_id, std::string_view client_id,
                                 std::string_view salt) {
  std::string input;
  input.append(user_id).append("\n").append(client_id).append("\n").append(salt);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < 8 && i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

Result<TokenIssuer> TokenIssuer::create(SigningKey active, std::vector<SigningKey> previous,
                                        std::string uaa_url, TokenLifetimes lifetimes,
                                        GuidGenerator& guids) {
  if (!active.key.has_private_key()) {
    return jwt::jwt_error(jwt::JwtErrc::InvalidKey, "the token signing key has no private half");
  }
  jwt::KeySet keys;
  if (auto added = keys.add(active.kid, active.key); !added) return std::move(added).error();
  for (auto& k : previous) {
    if (auto added = keys.add(std::move(k.kid), std::move(k.key)); !added) {
      return std::move(added).error();
    }
  }
  while (!uaa_url.empty() && uaa_url.back() == '/') uaa_url.pop_back();
  return TokenIssuer(std::move(active), std::move(keys), std::move(uaa_url), lifetimes, guids);
}

TokenIssuer::TokenIssuer(SigningKey active, jwt::KeySet keys, std::string uaa_url,
                         TokenLifetimes lifetimes, GuidGenerator& guids)
    : active_(std::move(active)),
      keys_(std::move(keys)),
      uaa_url_(std::move(uaa_url)),
      issuer_(uaa_url_ + "/oauth/token"),
      lifetimes_(lifetimes),
      guids_(&guids) {
  json::Writer h;
  h.start_object().field("jku", uaa_url_ + "/token_keys").end_object();
  header_fields_ = h.str();
}

std::string TokenIssuer::token_key_json() const { return active_.key.to_jwk(active_.kid); }

Result<std::string> TokenIssuer::sign(std::string_view claims_json) const {
  return jwt::sign_rs256(header_fields_, claims_json, active_.key, active_.kid);
}

Result<IssuedToken> TokenIssuer::user_access_token(const User& user, std::string_view client_id,
                                                   std::string_view grant_type,
                                                   const std::vector<std::string>& scopes,
                                                   TimePoint now) const {
  IssuedToken t{.jti = guids_->next(), .issued_at = now, .expires_at = now + lifetimes_.access};
  json::Writer w;
  w.start_object().field("jti", t.jti).field("sub", user.guid);
  write_list(w, "scope", scopes);
  w.field("client_id", client_id).field("cid", client_id).field("azp", client_id);
  w.field("grant_type", grant_type);
  write_user(w, user);
  w.field("email", user.email);
  w.field("rev_sig", revocation_signature(user.guid, client_id, user.revocation_salt));
  write_common(w, now, t.expires_at, issuer_, client_id, scopes);
  w.field("revocable", true).end_object();
  auto signed_token = sign(w.view());
  if (!signed_token) return std::move(signed_token).error();
  t.value = std::move(*signed_token);
  return t;
}

Result<IssuedToken> TokenIssuer::user_refresh_token(const User& user, std::string_view client_id,
                                                    std::string_view grant_type,
                                                    const std::vector<std::string>& scopes,
                                                    TimePoint now) const {
  IssuedToken t{.jti = guids_->next() + std::string(kRefreshJtiSuffix),
                .issued_at = now,
                .expires_at = now + lifetimes_.refresh};
  json::Writer w;
  w.start_object().field("jti", t.jti).field("sub", user.guid);
  w.field("cid", client_id).field("client_id", client_id);
  write_list(w, "granted_scopes", scopes);
  w.key("amr").start_array().value("pwd").end_array();
  w.field("grant_type", grant_type);
  write_user(w, user);
  w.field("rev_sig", revocation_signature(user.guid, client_id, user.revocation_salt));
  write_common(w, now, t.expires_at, issuer_, client_id, scopes);
  w.field("revocable", true).end_object();
  auto signed_token = sign(w.view());
  if (!signed_token) return std::move(signed_token).error();
  t.value = std::move(*signed_token);
  return t;
}

Result<IssuedToken> TokenIssuer::client_access_token(std::string_view client_id,
                                                     const std::vector<std::string>& scopes,
                                                     TimePoint now) const {
  IssuedToken t{.jti = guids_->next(), .issued_at = now, .expires_at = now + lifetimes_.access};
  json::Writer w;
  w.start_object().field("jti", t.jti).field("sub", client_id);
  write_list(w, "authorities", scopes);
  write_list(w, "scope", scopes);
  w.field("client_id", client_id).field("cid", client_id).field("azp", client_id);
  w.field("grant_type", "client_credentials");
  write_common(w, now, t.expires_at, issuer_, client_id, scopes);
  w.end_object();
  auto signed_token = sign(w.view());
  if (!signed_token) return std::move(signed_token).error();
  t.value = std::move(*signed_token);
  return t;
}

}  // namespace cupola::cc::uaa
