#pragma once

#include <string>
#include <system_error>

#include "common/core/error.h"

namespace cupola::cc::uaa {

// Why the token service refused a request. Each code has one HTTP status and one UAA
// "error" value (see uaa_status and uaa_error_name); the Error's message is the
// "error_description" the caller sees, so it never holds a password or a token.
enum class UaaErrc {
  // 401 unauthorized: wrong username or password, or an unknown or wrong client.
  BadCredentials = 1,
  // 401 unauthorized: too many failed logins; the description is UAA's lockout sentence,
  // which the cf CLI matches to stop retrying.
  AccountLocked,
  // 401 unauthorized: no credentials or bearer token where one is required.
  Unauthenticated,
  // 401 invalid_token: a bearer or refresh token that is malformed, forged, expired,
  // revoked or not meant for this use.
  InvalidToken,
  // 401 invalid_client: a known client asking for a grant it is not registered for.
  InvalidClient,
  // 400 invalid_request: a required parameter is missing.
  InvalidRequest,
  // 400 invalid_grant: a refresh token issued to another client.
  InvalidGrant,
  // 400 unsupported_grant_type.
  UnsupportedGrantType,
  // 403 insufficient_scope: the token lacks every scope that would allow the call.
  InsufficientScope,
  // 403 access_denied: the caller may not act on this resource.
  AccessDenied,
  // 409 scim_resource_already_exists: the username is taken.
  UsernameTaken,
  // 404 scim_resource_not_found.
  UserNotFound,
  // 400 invalid_scim_resource: a user body that is not acceptable.
  InvalidScimResource,
  // 400 invalid_password: a password outside the password policy.
  InvalidPassword,
  // 400 scim: a filter this server does not understand.
  InvalidFilter,
};

const std::error_category& uaa_category() noexcept;

inline std::error_code make_error_code(UaaErrc e) noexcept {
  return {static_cast<int>(e), uaa_category()};
}

inline Error uaa_error(UaaErrc code, std::string description) {
  return Error{make_error_code(code), std::move(description)};
}

inline bool has_code(const Error& error, UaaErrc code) {
  return error.code == make_error_code(code);
}

// The HTTP status UAA answers for a code; 500 for errors of other categories.
int uaa_status(const std::error_code& code);
// UAA's "error" value for a code ("unauthorized", "invalid_token", ...); "server_error"
// for errors of other categories.
std::string uaa_error_name(const std::error_code& code);

// The descriptions UAA uses, word for word; clients match some of them.
inline constexpr const char* kBadCredentials = "Bad credentials";
inline constexpr const char* kAccountLocked =
    "Your account has been locked because of too many failed attempts to login.";
inline constexpr const char* kFullAuthenticationRequired =
    "Full authentication is required to access this resource";
inline constexpr const char* kInsufficientScope = "Insufficient scope for this resource";
inline constexpr const char* kAccessDenied = "Access is denied";

}  // namespace cupola::cc::uaa

template <>
struct std::is_error_code_enum<cupola::cc::uaa::UaaErrc> : std::true_type {};
