#pragma once

#include <filesystem>
#include <string>

#include "cloud_controller/src/uaa/token_issuer.h"
#include "common/core/result.h"

namespace cupola::cc::uaa {

// The kid of a key: "key-" and the first 12 characters of the base64url SHA-256 of its
// modulus, so every Cloud Controller sharing the key names it alike and a new key gets a
// new name.
std::string key_id_for(const jwt::RsaKey& key);

// The token signing key kept at `path` (PKCS#8 PEM). When the file does not exist, a new
// 2048-bit key is generated and written there with mode 0600 (created exclusively, so two
// processes starting together cannot both write one; the loser reads the winner's).
// Errc::Unavailable when the file cannot be read or written, JwtErrc::InvalidKey when it
// holds no usable private key.
Result<SigningKey> load_or_create_signing_key(const std::filesystem::path& path);

}  // namespace cupola::cc::uaa
