#pragma once

#include <string>
#include <system_error>

#include "common/core/error.h"

namespace cupola::jwt {

// Why a token or a key was refused. Every failure of this module carries one of these codes
// in the "jwt" category; a server maps them all to 401 (or, for InvalidKey at startup, to a
// configuration error).
enum class JwtErrc {
  // Not a compact JWS: wrong number of segments, bad base64url, header or claims that are
  // not JSON objects, claims of the wrong type, no alg, a missing exp, critical header
  // extensions ("crit"), over the size or depth limits.
  Malformed = 1,
  // The header names an algorithm other than RS256 ("none", HS256, ...).
  WrongAlgorithm,
  // No verification key has the token's kid (or the token has no kid and there is not
  // exactly one key).
  UnknownKey,
  // The signature does not match the header and claims under the chosen key.
  BadSignature,
  // now is past exp (plus the leeway).
  Expired,
  // nbf or iat lies in the future (beyond the leeway).
  NotYetValid,
  // Key material that cannot be used: unreadable PEM or JWK, not RSA, under 2048 bits, a
  // public key where a private one is needed, a JWK set with duplicate kids.
  InvalidKey,
};

const std::error_category& jwt_category() noexcept;

inline std::error_code make_error_code(JwtErrc e) noexcept {
  return {static_cast<int>(e), jwt_category()};
}

inline Error jwt_error(JwtErrc code, std::string message) {
  return Error{make_error_code(code), std::move(message)};
}

// True when `error` carries `code`.
inline bool has_code(const Error& error, JwtErrc code) {
  return error.code == make_error_code(code);
}

}  // namespace cupola::jwt

template <>
struct std::is_error_code_enum<cupola::jwt::JwtErrc> : std::true_type {};
