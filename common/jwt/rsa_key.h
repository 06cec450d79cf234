#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "common/json/json.h"

// OpenSSL's EVP_PKEY, without pulling OpenSSL's headers into every includer.
struct evp_pkey_st;

namespace cupola::jwt {

// An RSA key for RS256 (RSASSA-PKCS1-v1_5 with SHA-256): a key pair that can sign, or a
// public key that can only verify. Copies share one immutable OpenSSL key, so an RsaKey is
// cheap to copy and safe to use from several threads at once. Key sizes from kMinBits to
// kMaxBits are accepted; anything else, and keys that are not plain RSA (RSA-PSS, EC), are
// refused with JwtErrc::InvalidKey.
class RsaKey {
 public:
  static constexpr int kMinBits = 2048;
  static constexpr int kMaxBits = 8192;

  // A fresh key pair from OpenSSL's random generator. For development setups and tests;
  // production keys come from configuration.
  static Result<RsaKey> generate(int bits = kMinBits);

  // A key pair from an unencrypted PEM private key: PKCS#8 ("BEGIN PRIVATE KEY") or
  // PKCS#1 ("BEGIN RSA PRIVATE KEY"). Encrypted keys are refused, never prompted for.
  static Result<RsaKey> from_private_pem(std::string_view pem);

  // A public key from a PEM SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"), the form of a
  // /token_keys entry's "value".
  static Result<RsaKey> from_public_pem(std::string_view pem);

  // A public key from one JWK object: kty "RSA", with n and e (base64url, big-endian), or
  // without them from UAA's "value" PEM. When both are present they must describe the same
  // key. "use", when present, must be "sig"; "alg", when present, "RS256". Other members
  // (kid included) are ignored here; KeySet reads the kid.
  static Result<RsaKey> from_jwk(const json::Value& jwk);

  bool has_private_key() const { return has_private_; }
  int bits() const { return bits_; }

  // The modulus and public exponent as a JWK writes them: unsigned big-endian bytes without
  // leading zeros, base64url without padding ("AQAB" for 65537).
  const std::string& modulus() const { return n_; }
  const std::string& exponent() const { return e_; }

  // "-----BEGIN PUBLIC KEY-----\n<base64, 64 columns>\n-----END PUBLIC KEY-----\n".
  std::string public_pem() const;
  // The private key as unencrypted PKCS#8 PEM, for writing a generated key to a file.
  // InvalidKey for a public key.
  Result<std::string> private_pem() const;

  // Writes this key's public half as one /token_keys entry, in UAA's shape:
  // {"kty":"RSA","e":...,"use":"sig","kid":...,"alg":"RS256","value":<public PEM without
  // the final newline>,"n":...}. An empty kid is left out.
  void write_jwk(json::Writer& w, std::string_view kid) const;
  std::string to_jwk(std::string_view kid) const;

  // The RS256 signature of `data`. InvalidKey for a public key.
  Result<std::string> sign_sha256(std::string_view data) const;
  // Whether `signature` is this key's RS256 signature of `data`.
  bool verify_sha256(std::string_view data, std::string_view signature) const;

  // Whether both keys have the same modulus and exponent.
  bool same_public_key(const RsaKey& other) const;

 private:
  RsaKey(std::shared_ptr<evp_pkey_st> pkey, bool has_private, int bits, std::string n,
         std::string e);
  // Takes ownership of `pkey` (also on failure) and checks its type and size.
  static Result<RsaKey> adopt(evp_pkey_st* pkey, bool has_private);

  std::shared_ptr<evp_pkey_st> pkey_;
  bool has_private_ = false;
  int bits_ = 0;
  std::string n_;
  std::string e_;
};

}  // namespace cupola::jwt
