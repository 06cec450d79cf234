#include "cloud_controller/src/bridge/signer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "common/http/message.h"

namespace cupola::cc {

namespace {

std::string hex(const unsigned char* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

}  // namespace

UrlSigner::UrlSigner(std::string base_url, std::string secret)
    : base_url_(std::move(base_url)), secret_(std::move(secret)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

std::string UrlSigner::mac(std::string_view method, std::string_view path,
                           std::int64_t expires) const {
  std::string data =
      std::string(method) + "\n" + std::string(path) + "\n" + std::to_string(expires);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return hex(out, len);
}

std::string UrlSigner::sign(std::string_view method, std::string_view path,
                            std::chrono::seconds ttl,
                            std::chrono::system_clock::time_point now) const {
  std::int64_t expires =
      ttl.count() == 0
          ? 0
          : std::chrono::duration_cast<std::chrono::seconds>((now + ttl).time_since_epoch())
                .count();
  return base_url_ + std::string(path) + "?expires=" + std::to_string(expires) +
         "&signature=" + mac(method, path, expires);
}

bool UrlSigner::verify(std::string_view method, std::string_view path, std::string_view query,
                       std::chrono::system_clock::time_point now) const {
  auto expires_text = http::query_param(query, "expires");
  auto signature = http::query_param(query, "signature");
  if (!expires_text || !signature) return false;
  std::int64_t expires = 0;
  auto [end, ec] =
      std::from_chars(expires_text->data(), expires_text->data() + expires_text->size(), expires);
  if (ec != std::errc() || end != expires_text->data() + expires_text->size()) return false;
  auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (expires != 0 && expires < now_s) return false;
  std::string want = mac(method, path, expires);
  return signature->size() == want.size() &&
         CRYPTO_memcmp(signature->data(), want.data(), want.size()) == 0;
}

Result<std::string> load_or_create_secret(const std::string& path) {
  auto failed = [&](const char* what) {
    return make_error(Errc::Unavailable,
                      "internal secret " + path + ": " + what + ": " + std::strerror(errno));
  };
  if (std::ifstream in(path); in) {
    std::ostringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    if (s.size() < 32) {
      return make_error(Errc::InvalidArgument,
                        "internal secret " + path + " is shorter than 32 characters");
    }
    return s;
  }
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) {
    return make_error(Errc::Internal, "internal secret: no random bytes");
  }
  std::string secret = hex(raw, sizeof raw);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return failed("cannot create");
  std::string line = secret + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!ok) return failed("cannot write");
  return secret;
}

}  // namespace cupola::cc
