#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/json/json.h"
#include "common/jwt/rsa_key.h"

namespace cupola::jwt {

// Verification keys by key id, for key rotation: an issuer signs with its newest key and
// lists the previous ones until the tokens they signed have expired. Keeps insertion order.
// Build it, then share it read-only: lookups on a const KeySet are thread-safe.
class KeySet {
 public:
  struct Entry {
    std::string kid;
    RsaKey key;
  };

  // Limits for a /token_keys document from another component.
  static constexpr json::ParseLimits kTokenKeysLimits{.max_bytes = 256 * 1024, .max_depth = 8};

  // Parses a /token_keys document, {"keys":[<JWK>, ...]} (see RsaKey::from_jwk). JWKs
  // whose kty is not RSA (UAA's "MAC", "EC") or whose use is "enc" are skipped, as RFC 7517
  // §5 asks; every RSA JWK must have a non-empty, unique "kid" and be a valid key, else
  // JwtErrc::InvalidKey naming the entry. Malformed JSON is InvalidKey too.
  static Result<KeySet> from_token_keys(std::string_view json,
                                        const json::ParseLimits& limits = kTokenKeysLimits);

  // Adds a key under `kid`. InvalidKey when kid is empty or already present.
  Status add(std::string kid, RsaKey key);

  // The key with this kid, or nullptr.
  const RsaKey* find(std::string_view kid) const;

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }

  // The /token_keys document for these keys in insertion order: public halves only, each
  // in UAA's entry shape (RsaKey::write_jwk).
  std::string to_token_keys() const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace cupola::jwt
