#include "cloud_controller/src/uaa/signing_key.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "common/jwt/base64url.h"
#include "common/jwt/errors.h"

namespace cupola::cc::uaa {

namespace {

Error file_error(const std::filesystem::path& path, std::string_view what) {
  return make_error(make_error_code(Errc::Unavailable), "token signing key " + path.string() +
                                                            ": " + std::string(what) + ": " +
                                                            std::strerror(errno));
}

Result<SigningKey> read_key(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return file_error(path, "cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  auto key = jwt::RsaKey::from_private_pem(text.str());
  if (!key) {
    return jwt::jwt_error(jwt::JwtErrc::InvalidKey,
                          "token signing key " + path.string() + ": " + key.error().message);
  }
  std::string kid = key_id_for(*key);
  return SigningKey{std::move(kid), std::move(*key)};
}

// Writes `pem` to a new file at `path`, readable by its owner only. False with errno set
// when the file already exists or cannot be written.
bool write_new(const std::filesystem::path& path, const std::string& pem) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  std::size_t done = 0;
  while (done < pem.size()) {
    ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int saved = errno;
      ::close(fd);
      ::unlink(path.c_str());
      errno = saved;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  return ::close(fd) == 0 && synced;
}

}  // namespace

std::string key_id_for(const jwt::RsaKey& key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  const std::string& n = key.modulus();
  EVP_Digest(n.data(), n.size(), digest, &size, EVP_sha256(), nullptr);
  std::string b64 = jwt::base64url_encode(std::string_view(reinterpret_cast<char*>(digest), size));
  return "key-" + b64.substr(0, 12);
}

Result<SigningKey> load_or_create_signing_key(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return read_key(path);
  auto key = jwt::RsaKey::generate();
  if (!key) return std::move(key).error();
  auto pem = key->private_pem();
  if (!pem) return std::move(pem).error();
  if (!write_new(path, *pem)) {
    if (errno == EEXIST) return read_key(path);
    return file_error(path, "cannot write");
  }
  std::string kid = key_id_for(*key);
  return SigningKey{std::move(kid), std::move(*key)};
}

}  // namespace cupola::cc::uaa
