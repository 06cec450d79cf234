#include "cloud_controller/src/storage/secret_box.h"

#include <cstring>
#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "common/core/base64.h"

namespace cupola::cc {

namespace {

constexpr std::string_view kPrefix = "v1:";
constexpr int kNonce = 12;
constexpr int kTag = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

Error broken() { return make_error(Errc::InvalidArgument, "the sealed value does not open"); }

}  // namespace

SecretBox::SecretBox(std::string_view secret) {
  std::string material = "cupola credentials key\n" + std::string(secret);
  SHA256(reinterpret_cast<const unsigned char*>(material.data()), material.size(), key_);
}

Result<std::string> SecretBox::seal(std::string_view plaintext) const {
  unsigned char nonce[kNonce];
  if (RAND_bytes(nonce, kNonce) != 1) return make_error(Errc::Internal, "no random bytes");
  Ctx ctx(EVP_CIPHER_CTX_new());
  std::string out(reinterpret_cast<const char*>(nonce), kNonce);
  out.resize(kNonce + plaintext.size() + kTag);
  auto* body = reinterpret_cast<unsigned char*>(out.data()) + kNonce;
  int n = 0, last = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_, nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), body, &n,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + n, &last) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, body + n + last) != 1) {
    return make_error(Errc::Internal, "sealing failed");
  }
  return std::string(kPrefix) + base64_encode(out);
}

Result<std::string> SecretBox::open(std::string_view sealed) const {
  if (!sealed.starts_with(kPrefix)) return broken();
  auto raw = base64_decode(sealed.substr(kPrefix.size()));
  if (!raw || raw->size() < static_cast<std::size_t>(kNonce + kTag)) return broken();
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw->data());
  std::size_t length = raw->size() - kNonce - kTag;
  std::string out(length, '\0');
  unsigned char tag[kTag];
  std::memcpy(tag, bytes + kNonce + length, kTag);
  Ctx ctx(EVP_CIPHER_CTX_new());
  int n = 0, last = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_, bytes) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n, bytes + kNonce,
                        static_cast<int>(length)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &last) !=
          1) {
    return broken();
  }
  return out;
}

}  // namespace cupola::cc
