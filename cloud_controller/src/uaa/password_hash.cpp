#include "cloud_controller/src/uaa/password_hash.h"

#include <charconv>
#include <functional>
#include <memory>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/core/base64.h"

namespace cupola::cc::uaa {
namespace asio = boost::asio;

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyBytes = 32;
// Beyond this a stored hash is treated as malformed: verifying it would stall a pool thread.
constexpr std::uint32_t kMaxIterations = 100'000'000;

std::optional<std::string> derive(std::string_view password, std::string_view salt,
                                  std::uint32_t iterations) {
  std::string key(kKeyBytes, '\0');
  int ok =
      PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                        static_cast<int>(key.size()), reinterpret_cast<unsigned char*>(key.data()));
  if (ok != 1) return std::nullopt;
  return key;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  while (true) {
    auto pos = s.find(sep);
    parts.push_back(s.substr(0, pos));
    if (pos == std::string_view::npos) return parts;
    s.remove_prefix(pos + 1);
  }
}

// A stand-in for a coroutine taking a closure: GCC 12 mishandles closure parameters of
// coroutines, so the work travels in a shared_ptr.
template <class T, class F>
asio::awaitable<T> call(std::shared_ptr<F> f) {
  co_return (*f)();
}

}  // namespace

Result<std::string> hash_password(std::string_view password, const PasswordHashOptions& options) {
  if (options.iterations == 0 || options.iterations > kMaxIterations) {
    return make_error(
        make_error_code(Errc::InvalidArgument),
        "password hashing needs between 1 and " + std::to_string(kMaxIterations) + " iterations");
  }
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) !=
      1) {
    return make_error(make_error_code(Errc::Internal), "no random bytes for a password salt");
  }
  auto key = derive(password, salt, options.iterations);
  if (!key) return make_error(make_error_code(Errc::Internal), "PBKDF2 failed");
  std::string out(kPasswordHashScheme);
  out += '$';
  out += std::to_string(options.iterations);
  out += '$';
  out += base64_encode(salt);
  out += '$';
  out += base64_encode(*key);
  return out;
}

std::optional<PasswordHashParts> parse_password_hash(std::string_view stored) {
  auto parts = split(stored, '$');
  if (parts.size() != 4 || parts[0] != kPasswordHashScheme) return std::nullopt;
  PasswordHashParts out;
  auto [end, ec] =
      std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), out.iterations);
  if (ec != std::errc{} || end != parts[1].data() + parts[1].size() || out.iterations == 0 ||
      out.iterations > kMaxIterations) {
    return std::nullopt;
  }
  auto salt = base64_decode(parts[2]);
  auto key = base64_decode(parts[3]);
  if (!salt || salt->empty() || !key || key->size() != kKeyBytes) return std::nullopt;
  out.salt = std::move(*salt);
  out.derived_key = std::move(*key);
  return out;
}

bool verify_password(std::string_view password, std::string_view stored) {
  auto parts = parse_password_hash(stored);
  if (!parts) return false;
  auto key = derive(password, parts->salt, parts->iterations);
  return key && constant_time_equals(*key, parts->derived_key);
}

bool needs_rehash(std::string_view stored, const PasswordHashOptions& options) {
  auto parts = parse_password_hash(stored);
  return !parts || parts->iterations < options.iterations;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

asio::awaitable<Result<std::string>> PasswordHasher::hash(std::string password) const {
  auto work = std::make_shared<std::function<Result<std::string>()>>(
      [password = std::move(password), options = options_] {
        return hash_password(password, options);
      });
  auto op = call<Result<std::string>>(std::move(work));
  auto done = asio::co_spawn(pool_, std::move(op), asio::use_awaitable);
  co_return co_await std::move(done);
}

asio::awaitable<bool> PasswordHasher::verify(std::string password, std::string stored) const {
  auto work = std::make_shared<std::function<bool()>>(
      [password = std::move(password), stored = std::move(stored)] {
        return verify_password(password, stored);
      });
  auto op = call<bool>(std::move(work));
  auto done = asio::co_spawn(pool_, std::move(op), asio::use_awaitable);
  co_return co_await std::move(done);
}

}  // namespace cupola::cc::uaa
