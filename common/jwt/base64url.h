#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cupola::jwt {

// base64url (RFC 4648 §5) without padding, as JWS (RFC 7515 §2) and JWK use it.
std::string base64url_encode(std::string_view bytes);

// Strict decoding of unpadded base64url: nullopt for '=', '+', '/', whitespace or any other
// byte outside [A-Za-z0-9_-], for an impossible length, and for unused trailing bits that are
// not zero (so every byte string has exactly one accepted encoding and a signature cannot be
// altered without changing its bytes).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace cupola::jwt
