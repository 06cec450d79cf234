#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/time.h"
#include "common/jwt/base64url.h"
#include "common/jwt/rsa_key.h"

namespace cupola::jwt::test {

// Two key pairs shared by every test in the binary: generating RSA keys is slow enough
// (tens of milliseconds each) that one pair per SECTION would dominate the run.
inline const RsaKey& key_a() {
  static const RsaKey key = RsaKey::generate().value();
  return key;
}
inline const RsaKey& key_b() {
  static const RsaKey key = RsaKey::generate().value();
  return key;
}

// Seconds since the epoch as a time point.
inline TimePoint at(std::int64_t seconds) { return TimePoint{std::chrono::seconds{seconds}}; }

// A compact JWS from raw header and claims JSON and raw signature bytes, for tokens that
// sign_rs256 would never produce.
inline std::string assemble(std::string_view header, std::string_view claims,
                            std::string_view signature) {
  return base64url_encode(header) + "." + base64url_encode(claims) + "." +
         base64url_encode(signature);
}

}  // namespace cupola::jwt::test
