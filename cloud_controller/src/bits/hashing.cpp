#include "cloud_controller/src/bits/hashing.h"

#include <fcntl.h>

#include <cerrno>

#include <openssl/evp.h>

#include "cloud_controller/src/bits/file_io.h"

namespace cupola::cc::bits {

void Hasher::Free::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Hasher::Hasher(Kind kind) : ctx_(EVP_MD_CTX_new()) {
  const EVP_MD* md = kind == Kind::Sha1 ? EVP_sha1() : EVP_sha256();
  ok_ = ctx_ && EVP_DigestInit_ex(ctx_.get(), md, nullptr) == 1;
}

void Hasher::update(std::string_view data) {
  if (ok_ && !data.empty()) ok_ = EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) == 1;
}

Result<std::string> Hasher::finish() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ok_ || EVP_DigestFinal_ex(ctx_.get(), md, &len) != 1) {
    ok_ = false;
    return make_error(Errc::Internal, "computing a digest failed in OpenSSL");
  }
  ok_ = false;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

Result<Digest> digest_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return make_error(Errc::NotFound, path.string() + " does not exist");
    return system_error("open " + path.string(), errno);
  }
  Hasher sha1(Hasher::Kind::Sha1);
  Hasher sha256(Hasher::Kind::Sha256);
  Digest digest;
  std::string buffer(64 * 1024, '\0');
  while (true) {
    auto n = read_some(fd.get(), buffer.data(), buffer.size(), "read " + path.string());
    if (!n) return std::move(n).error();
    if (*n == 0) break;
    std::string_view chunk(buffer.data(), *n);
    sha1.update(chunk);
    sha256.update(chunk);
    digest.size += *n;
  }
  auto s1 = sha1.finish();
  if (!s1) return std::move(s1).error();
  auto s256 = sha256.finish();
  if (!s256) return std::move(s256).error();
  digest.sha1 = std::move(*s1);
  digest.sha256 = std::move(*s256);
  return digest;
}

bool is_sha1_hex(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace cupola::cc::bits
