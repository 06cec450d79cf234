#include "cloud_controller/src/uaa/http_answers.h"

#include <chrono>

#include "cloud_controller/src/uaa/errors.h"
#include "cloud_controller/src/uaa/scopes.h"
#include "cloud_controller/src/uaa/user.h"
#include "common/json/json.h"

namespace cupola::cc::uaa {

namespace {

http::StatusCode status_of(const Error& error) {
  return static_cast<http::StatusCode>(uaa_status(error.code));
}

std::string description_of(const Error& error) {
  if (error.code.category() != uaa_category()) {
    return "The token service could not complete the request; try again later.";
  }
  return error.message;
}

// RFC 6750 §3 quoted-string: no quotes or backslashes inside.
std::string quoted(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '"' || c == '\\') ? '\'' : c;
  return out;
}

http::Response with_challenge(http::Response res, std::string_view error,
                              std::string_view description) {
  if (res.result() == http::StatusCode::unauthorized) {
    res.set(http::bhttp::field::www_authenticate, "Bearer realm=\"UAA\", error=\"" + quoted(error) +
                                                      "\", error_description=\"" +
                                                      quoted(description) + "\"");
  }
  res.set(http::bhttp::field::cache_control, "no-store");
  return res;
}

http::Response cc_error(std::string_view detail, std::string_view title, int code) {
  json::Writer w;
  w.start_object().key("errors").start_array().start_object();
  w.field("detail", detail).field("title", title).field("code", code);
  w.end_object().end_array().end_object();
  return http::json_response(http::StatusCode::unauthorized, w.str());
}

}  // namespace

http::Response oauth_error_response(const Error& error) {
  std::string name = uaa_error_name(error.code);
  std::string description = description_of(error);
  json::Writer w;
  w.start_object().field("error", name).field("error_description", description).end_object();
  return with_challenge(http::json_response(status_of(error), w.str()), name, description);
}

http::Response insufficient_scope_response(std::span<const std::string_view> allowed) {
  std::string scope;
  for (auto s : allowed) {
    if (!scope.empty()) scope += ' ';
    scope += s;
  }
  json::Writer w;
  w.start_object().field("error", "insufficient_scope");
  w.field("error_description", kInsufficientScope).field("scope", scope).end_object();
  return http::json_response(http::StatusCode::forbidden, w.str());
}

http::Response scim_error_response(const Error& error) {
  if (has_code(error, UaaErrc::Unauthenticated) || has_code(error, UaaErrc::InvalidToken) ||
      has_code(error, UaaErrc::InsufficientScope) || has_code(error, UaaErrc::AccessDenied)) {
    return oauth_error_response(error);
  }
  std::string name = uaa_error_name(error.code);
  std::string description = description_of(error);
  json::Writer w;
  w.start_object().field("error", name).field("error_description", description);
  w.field("message", description);
  if (has_code(error, UaaErrc::UsernameTaken)) w.field("origin", kOriginUaa);
  w.end_object();
  return http::json_response(status_of(error), w.str());
}

http::Response token_response(const TokenGrant& grant) {
  auto expires_in = std::chrono::duration_cast<std::chrono::seconds>(grant.access.expires_at -
                                                                     grant.access.issued_at)
                        .count();
  json::Writer w;
  w.start_object();
  w.field("access_token", grant.access.value).field("token_type", "bearer");
  if (grant.refresh_token) w.field("refresh_token", *grant.refresh_token);
  w.field("expires_in", expires_in > 0 ? expires_in : 0);
  w.field("scope", join_scopes(grant.scopes)).field("jti", grant.access.jti);
  w.end_object();
  auto res = http::make_response(http::StatusCode::ok, w.str(), "application/json;charset=UTF-8");
  res.set(http::bhttp::field::cache_control, "no-store");
  res.set(http::bhttp::field::pragma, "no-cache");
  return res;
}

http::Response cc_invalid_auth_token_response() {
  return cc_error("Invalid Auth Token", "CF-InvalidAuthToken", 1000);
}

http::Response cc_not_authenticated_response() {
  return cc_error("Authentication error", "CF-NotAuthenticated", 10002);
}

http::Response cc_auth_error_response(const Error& error) {
  if (has_code(error, UaaErrc::Unauthenticated)) return cc_not_authenticated_response();
  return cc_invalid_auth_token_response();
}

}  // namespace cupola::cc::uaa
