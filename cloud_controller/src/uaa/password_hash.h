#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"

namespace cupola::cc::uaa {

// Passwords are stored as PBKDF2-HMAC-SHA256 (RFC 8018) with a random 16-byte salt per
// hash, in a self-describing string:
//   "pbkdf2-sha256$<iterations>$<salt, base64>$<derived key, base64>"
// so the cost can rise later: hashes with fewer iterations than configured still verify,
// and needs_rehash() tells the caller to store a new one after the next good login.
struct PasswordHashOptions {
  // OWASP's 2023 figure for PBKDF2-HMAC-SHA256. Configuration refuses less than
  // kMinIterations; tests may construct smaller values directly.
  static constexpr std::uint32_t kDefaultIterations = 600'000;
  static constexpr std::uint32_t kMinIterations = 200'000;
  std::uint32_t iterations = kDefaultIterations;
};

inline constexpr std::string_view kPasswordHashScheme = "pbkdf2-sha256";

// The parts of a stored hash.
struct PasswordHashParts {
  std::uint32_t iterations = 0;
  std::string salt;         // raw bytes
  std::string derived_key;  // raw bytes, 32 of them
};

// A new hash of `password` with a fresh salt from OpenSSL's random generator. CPU-heavy
// (tenths of a second at the default cost): call it off the event loop (PasswordHasher).
// Errc::Internal when OpenSSL fails; Errc::InvalidArgument for zero iterations.
Result<std::string> hash_password(std::string_view password, const PasswordHashOptions& options);

// Whether `password` matches `stored`. The derived keys are compared in constant time.
// A stored value that is not a well-formed hash of this scheme never matches. As slow as
// hash_password at the stored cost.
bool verify_password(std::string_view password, std::string_view stored);

// Whether `stored` should be replaced: not of this scheme, or cheaper than `options`.
bool needs_rehash(std::string_view stored, const PasswordHashOptions& options);

// The parts of a well-formed stored hash, or nullopt.
std::optional<PasswordHashParts> parse_password_hash(std::string_view stored);

// Byte-wise equality whose time depends only on the lengths, not on where the inputs
// differ (OpenSSL's CRYPTO_memcmp).
bool constant_time_equals(std::string_view a, std::string_view b);

// Runs hashing on a pool so the event loop keeps serving requests. Coroutines resume on
// their own executor. The pool must outlive every call.
class PasswordHasher {
 public:
  PasswordHasher(boost::asio::any_io_executor pool, PasswordHashOptions options)
      : pool_(std::move(pool)), options_(options) {}

  boost::asio::awaitable<Result<std::string>> hash(std::string password) const;
  boost::asio::awaitable<bool> verify(std::string password, std::string stored) const;
  bool needs_rehash(std::string_view stored) const { return uaa::needs_rehash(stored, options_); }
  const PasswordHashOptions& options() const { return options_; }

 private:
  boost::asio::any_io_executor pool_;
  PasswordHashOptions options_;
};

}  // namespace cupola::cc::uaa
