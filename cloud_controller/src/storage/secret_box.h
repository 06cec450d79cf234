#pragma once

// Sealing secrets the CC stores (service credentials): AES-256-GCM under a key derived from
// the CC's internal secret, a fresh random nonce per value. A sealed value is
// "v1:<base64 of nonce | ciphertext | tag>"; a value tampered with, or sealed under another
// key, does not open.

#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::cc {

class SecretBox {
 public:
  // `secret`: the CC's internal secret (any length); the key is SHA-256 of it and a label,
  // so the same secret signs links and seals credentials without the two meeting.
  explicit SecretBox(std::string_view secret);

  Result<std::string> seal(std::string_view plaintext) const;
  // InvalidArgument for a value that is not sealed, was changed, or was sealed with another
  // key.
  Result<std::string> open(std::string_view sealed) const;

 private:
  unsigned char key_[32];
};

}  // namespace cupola::cc
