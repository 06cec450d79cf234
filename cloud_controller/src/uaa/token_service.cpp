#include "cloud_controller/src/uaa/token_service.h"

#include <algorithm>

#include "cloud_controller/src/uaa/errors.h"
#include "cloud_controller/src/uaa/scopes.h"
#include "common/jwt/errors.h"
#include "common/jwt/jws.h"

namespace cupola::cc::uaa {
namespace asio = boost::asio;

namespace {

constexpr const char* kRevokedOrUnknown =
    "The token expired, was revoked, or the token ID is incorrect.";

std::vector<std::string> string_list(const json::Value* v) {
  std::vector<std::string> out;
  if (!v || !v->IsArray()) return out;
  for (const auto& item : v->GetArray()) {
    if (item.IsString()) out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

std::string string_claim(const jwt::Claims& claims, std::string_view name) {
  const json::Value* v = claims.find(name);
  if (!v || !v->IsString()) return {};
  return {v->GetString(), v->GetStringLength()};
}

Error bad_credentials() { return uaa_error(UaaErrc::BadCredentials, kBadCredentials); }

}  // namespace

TokenService::TokenService(UserStore& users, RevocationStore& revocations, RevokedTokens& revoked,
                           const TokenIssuer& issuer, const ClientRegistry& clients,
                           const PasswordHasher& hasher, const Clock& clock,
                           TokenServiceOptions options, log::Logger log)
    : users_(users),
      revocations_(revocations),
      revoked_(revoked),
      issuer_(issuer),
      clients_(clients),
      hasher_(hasher),
      clock_(clock),
      options_(options),
      log_(std::move(log)) {}

asio::awaitable<Result<TokenGrant>> TokenService::grant(TokenRequest request) {
  if (!request.client) co_return uaa_error(UaaErrc::Unauthenticated, kFullAuthenticationRequired);
  auto client = clients_.authenticate(request.client->id, request.client->secret);
  if (!client) {
    log_.info("token.client-rejected", {{"client_id", request.client->id}});
    co_return std::move(client).error();
  }
  const std::string& grant_type = request.grant_type;
  if (grant_type.empty()) co_return uaa_error(UaaErrc::InvalidRequest, "Missing grant type");
  if (grant_type != "password" && grant_type != "refresh_token" &&
      grant_type != "client_credentials") {
    co_return uaa_error(UaaErrc::UnsupportedGrantType, "Unsupported grant type");
  }
  if (!(*client)->allows(grant_type)) {
    co_return uaa_error(UaaErrc::InvalidClient, "Unauthorized grant type");
  }
  if (grant_type == "client_credentials") co_return client_credentials_grant(**client);
  if (grant_type == "refresh_token") {
    auto refreshed = refresh_grant(*client, std::move(request.refresh_token));
    co_return co_await std::move(refreshed);
  }
  auto logged_in = password_grant(*client, std::move(request));
  co_return co_await std::move(logged_in);
}

asio::awaitable<Result<TokenGrant>> TokenService::password_grant(const ClientRegistration* client,
                                                                 TokenRequest request) {
  auto log = log_.session("password-grant", {{"username", request.username}});
  if (request.username.empty() || request.password.empty()) co_return bad_credentials();
  if (request.login_hint_origin && *request.login_hint_origin != kOriginUaa) {
    co_return bad_credentials();
  }
  auto found_op = users_.find_by_username(request.username);
  auto found = co_await std::move(found_op);
  if (!found) co_return std::move(found).error();
  if (!*found || !(*found)->active) {
    auto waste = waste_a_verify(std::move(request.password));
    co_await std::move(waste);
    log.info("rejected", {{"reason", "unknown or inactive user"}});
    co_return bad_credentials();
  }
  User user = std::move(**found);
  TimePoint now = clock_.now();
  if (is_locked(user, now)) {
    log.info("rejected", {{"reason", "locked"}, {"user_id", user.guid}});
    co_return uaa_error(UaaErrc::AccountLocked, kAccountLocked);
  }
  auto check = hasher_.verify(request.password, user.password_hash);
  bool matches = co_await std::move(check);
  now = clock_.now();
  if (!matches) {
    auto counted_op = users_.record_failed_login(user.guid, options_.lockout, now);
    auto counted = co_await std::move(counted_op);
    if (!counted) co_return std::move(counted).error();
    bool locked_now = is_locked(*counted, now);
    log.info("rejected",
             {{"reason", "wrong password"}, {"user_id", user.guid}, {"locked", locked_now}});
    co_return bad_credentials();
  }
  if (user.failed_logins != 0 || user.failures_since || user.locked_until) {
    auto cleared_op = users_.record_successful_login(user.guid);
    auto cleared = co_await std::move(cleared_op);
    if (!cleared) co_return std::move(cleared).error();
  }
  if (hasher_.needs_rehash(user.password_hash)) {
    // The configured cost went up since this hash was made: store a stronger one now that
    // the password is at hand. A failure here must not fail the login.
    auto rehash = hasher_.hash(request.password);
    auto stronger = co_await std::move(rehash);
    if (stronger) {
      User updated = user;
      updated.password_hash = std::move(*stronger);
      auto saved_op = users_.save(std::move(updated), clock_.now());
      auto saved = co_await std::move(saved_op);
      if (saved) user = std::move(*saved);
      if (!saved) log.error("rehash-failed", saved.error().describe());
    }
  }
  log.info("succeeded", {{"user_id", user.guid}});
  co_return user_grant(user, *client, user_scopes(user.admin), "password", std::nullopt);
}

asio::awaitable<Result<TokenGrant>> TokenService::refresh_grant(const ClientRegistration* client,
                                                                std::string refresh_token) {
  if (refresh_token.empty()) {
    co_return uaa_error(UaaErrc::InvalidRequest, "refresh_token parameter not provided");
  }
  TimePoint now = clock_.now();
  jwt::VerifyOptions verify;
  verify.leeway = std::chrono::seconds(0);
  auto claims = jwt::verify_rs256(refresh_token, issuer_.keys(), now, verify);
  if (!claims) {
    if (jwt::has_code(claims.error(), jwt::JwtErrc::Expired)) {
      co_return uaa_error(UaaErrc::InvalidToken, "Invalid refresh token (expired)");
    }
    co_return uaa_error(UaaErrc::InvalidToken, "Invalid refresh token: " + claims.error().message);
  }
  const auto& jti = claims->jti();
  if (claims->iss() != issuer_.issuer() || !jti || !jti->ends_with(kRefreshJtiSuffix)) {
    co_return uaa_error(UaaErrc::InvalidToken, "Invalid refresh token.");
  }
  auto revoked_op = revocations_.is_revoked(*jti);
  auto revoked = co_await std::move(revoked_op);
  if (!revoked) co_return std::move(revoked).error();
  if (*revoked || revoked_.contains(*jti)) {
    co_return uaa_error(UaaErrc::InvalidToken, kRevokedOrUnknown);
  }
  std::string cid = claims->cid().value_or("");
  if (cid != client->id) {
    co_return uaa_error(UaaErrc::InvalidGrant, "Wrong client for this refresh token: " + cid);
  }
  std::string user_id = claims->user_id().value_or("");
  auto user_op = users_.get(user_id);
  auto user = co_await std::move(user_op);
  if (!user) {
    if (has_code(user.error(), UaaErrc::UserNotFound)) {
      co_return uaa_error(UaaErrc::InvalidToken, "Token bears a non-existent user ID: " + user_id);
    }
    co_return std::move(user).error();
  }
  if (!user->active) co_return uaa_error(UaaErrc::InvalidToken, kRevokedOrUnknown);
  std::string expected = revocation_signature(user->guid, client->id, user->revocation_salt);
  if (string_claim(*claims, "rev_sig") != expected) {
    co_return uaa_error(UaaErrc::InvalidToken, "revocable signature mismatch");
  }
  // The user's scopes as they are now, within what the refresh token was granted: an
  // administrator who lost the flag does not keep its scopes for 30 days.
  auto granted = string_list(claims->find("granted_scopes"));
  std::vector<std::string> scopes;
  for (auto& s : user_scopes(user->admin)) {
    if (std::find(granted.begin(), granted.end(), s) != granted.end()) scopes.push_back(s);
  }
  std::string grant_type = claims->grant_type().value_or("password");
  co_return user_grant(*user, *client, std::move(scopes), grant_type, std::move(refresh_token));
}

Result<TokenGrant> TokenService::client_credentials_grant(const ClientRegistration& client) {
  auto access = issuer_.client_access_token(client.id, client.scopes, clock_.now());
  if (!access) return std::move(access).error();
  log_.info("client-credentials-grant.succeeded", {{"client_id", client.id}});
  return TokenGrant{std::move(*access), std::nullopt, client.scopes};
}

Result<TokenGrant> TokenService::user_grant(const User& user, const ClientRegistration& client,
                                            std::vector<std::string> scopes,
                                            std::string_view grant_type,
                                            std::optional<std::string> refresh_token) {
  TimePoint now = clock_.now();
  auto access = issuer_.user_access_token(user, client.id, grant_type, scopes, now);
  if (!access) return std::move(access).error();
  if (!refresh_token) {
    auto refresh = issuer_.user_refresh_token(user, client.id, grant_type, scopes, now);
    if (!refresh) return std::move(refresh).error();
    refresh_token = std::move(refresh->value);
  }
  return TokenGrant{std::move(*access), std::move(refresh_token), std::move(scopes)};
}

asio::awaitable<void> TokenService::waste_a_verify(std::string password) {
  if (dummy_hash_.empty()) {
    auto make = hasher_.hash("not a password");
    auto made = co_await std::move(make);
    if (made) dummy_hash_ = std::move(*made);
    co_return;
  }
  auto check = hasher_.verify(std::move(password), dummy_hash_);
  co_await std::move(check);
}

asio::awaitable<Status> TokenService::revoke(Caller caller, std::string jti) {
  bool own = caller.jti == jti;
  if (!own && !caller.has_scope("tokens.revoke") && !caller.has_scope("uaa.admin")) {
    co_return uaa_error(UaaErrc::AccessDenied, kAccessDenied);
  }
  RevokedToken entry;
  entry.jti = jti;
  // Another token's expiry is unknown here; no token lives longer than a refresh token.
  entry.expires_at = own ? caller.expires_at : clock_.now() + issuer_.lifetimes().refresh;
  if (own) {
    entry.user_id = caller.user_id;
    entry.client_id = caller.client_id;
  }
  TimePoint expires_at = entry.expires_at;
  auto stored_op = revocations_.revoke(std::move(entry));
  auto stored = co_await std::move(stored_op);
  if (!stored) co_return stored;
  revoked_.add(jti, expires_at);
  std::string by = caller.is_user() ? caller.user_id : caller.client_id;
  log_.info("token.revoked", {{"jti", jti}, {"by", by}});
  co_return Status{};
}

}  // namespace cupola::cc::uaa
