#include "service_broker/src/secrets.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>

#include "common/core/base64.h"

namespace cupola::pg_broker {
namespace {

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

Digest hmac(const Digest& key, std::string_view text) {
  Digest out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data(), &len);
  return out;
}

std::string bytes(const Digest& d) {
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace

Result<std::string> generate_password(std::size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  constexpr unsigned kSize = sizeof(kAlphabet) - 1;  // 62
  // Bytes at or above the largest multiple of 62 are dropped, so every character is equally
  // likely.
  constexpr unsigned kLimit = 256 - (256 % kSize);
  std::string out;
  std::array<unsigned char, 64> buf{};
  while (out.size() < length) {
    if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
      return make_error(Errc::Internal, "the random number generator failed");
    }
    for (unsigned char b : buf) {
      if (b < kLimit && out.size() < length) out += kAlphabet[b % kSize];
    }
  }
  return out;
}

Result<std::string> random_salt() {
  std::array<unsigned char, 16> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return make_error(Errc::Internal, "the random number generator failed");
  }
  return std::string(reinterpret_cast<const char*>(salt.data()), salt.size());
}

std::string scram_sha256_verifier(std::string_view password, std::string_view salt,
                                  int iterations) {
  Digest salted{};
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(salted.size()), salted.data());
  Digest client_key = hmac(salted, "Client Key");
  Digest stored_key{};
  SHA256(client_key.data(), client_key.size(), stored_key.data());
  Digest server_key = hmac(salted, "Server Key");
  return "SCRAM-SHA-256$" + std::to_string(iterations) + ":" + base64_encode(salt) + "$" +
         base64_encode(bytes(stored_key)) + ":" + base64_encode(bytes(server_key));
}

}  // namespace cupola::pg_broker
