#include "common/jwt/rsa_key.h"

#include <cassert>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <fmt/format.h>

#include "common/jwt/base64url.h"
#include "common/jwt/errors.h"

namespace cupola::jwt {
namespace {

// Key material arrives from configuration and from other components; nothing legitimate
// comes close to these sizes.
constexpr std::size_t kMaxPemBytes = std::size_t{64} * 1024;
constexpr std::size_t kMaxModulusBytes = RsaKey::kMaxBits / 8 + 1;  // one leading zero
constexpr std::size_t kMaxExponentBytes = 8;

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;

// OpenSSL's reason for the last failure on this thread. Empties the thread's error queue, so
// a failure here never surfaces later in unrelated TLS code on the same thread.
std::string openssl_reason() {
  unsigned long code = ERR_peek_last_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason ? reason : "no detail from OpenSSL";
}

Error key_error(std::string what) { return jwt_error(JwtErrc::InvalidKey, std::move(what)); }

BioPtr read_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

// Refuses encrypted PEM keys instead of prompting on a terminal.
int no_passphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) { return 0; }

std::string bn_param_base64url(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  int ok = EVP_PKEY_get_bn_param(pkey, name, &raw);
  assert(ok == 1 && "an RSA key always has n and e");
  (void)ok;
  BnPtr bn(raw);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  return base64url_encode(bytes);
}

Result<BnPtr> decode_bn(std::string_view b64, std::string_view member, std::size_t max_bytes) {
  auto bytes = base64url_decode(b64);
  if (!bytes || bytes->empty()) {
    return key_error(fmt::format("JWK member \"{}\" is not non-empty base64url", member));
  }
  if (bytes->size() > max_bytes) {
    return key_error(fmt::format("JWK member \"{}\" is {} bytes, more than {} bytes", member,
                                 bytes->size(), max_bytes));
  }
  BnPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                     static_cast<int>(bytes->size()), nullptr));
  if (!bn) return key_error("cannot allocate a big number: " + openssl_reason());
  return bn;
}

// An RSA public key from its modulus and exponent (JWK "n" and "e").
Result<PkeyPtr> public_from_components(std::string_view n_b64, std::string_view e_b64) {
  auto n = decode_bn(n_b64, "n", kMaxModulusBytes);
  if (!n) return std::move(n).error();
  auto e = decode_bn(e_b64, "e", kMaxExponentBytes);
  if (!e) return std::move(e).error();
  // Refused here already so that the size, not a later check, is what the message names.
  if (int bits = BN_num_bits(n->get()); bits < RsaKey::kMinBits || bits > RsaKey::kMaxBits) {
    return key_error(fmt::format("RSA key of {} bits; RS256 keys must have {} to {} bits", bits,
                                 RsaKey::kMinBits, RsaKey::kMaxBits));
  }

  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n->get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e->get()) != 1) {
    return key_error("cannot build RSA parameters: " + openssl_reason());
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return key_error("JWK n and e do not make an RSA key: " + openssl_reason());
  }
  PkeyPtr pkey(raw);
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    return key_error("JWK n and e do not make a valid RSA public key: " + openssl_reason());
  }
  return pkey;
}

const json::Value* string_member(const json::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return nullptr;
  return &it->value;
}

std::string_view view(const json::Value& v) { return {v.GetString(), v.GetStringLength()}; }

}  // namespace

RsaKey::RsaKey(std::shared_ptr<evp_pkey_st> pkey, bool has_private, int bits, std::string n,
               std::string e)
    : pkey_(std::move(pkey)),
      has_private_(has_private),
      bits_(bits),
      n_(std::move(n)),
      e_(std::move(e)) {}

Result<RsaKey> RsaKey::adopt(evp_pkey_st* raw, bool has_private) {
  PkeyPtr pkey(raw);
  if (EVP_PKEY_is_a(pkey.get(), "RSA") != 1) {
    const char* type = EVP_PKEY_get0_type_name(pkey.get());
    return key_error(fmt::format("key type {} is not RSA", type ? type : "(unknown)"));
  }
  int bits = EVP_PKEY_get_bits(pkey.get());
  if (bits < kMinBits || bits > kMaxBits) {
    return key_error(fmt::format("RSA key of {} bits; RS256 keys must have {} to {} bits", bits,
                                 kMinBits, kMaxBits));
  }
  std::string n = bn_param_base64url(pkey.get(), OSSL_PKEY_PARAM_RSA_N);
  std::string e = bn_param_base64url(pkey.get(), OSSL_PKEY_PARAM_RSA_E);
  std::shared_ptr<evp_pkey_st> shared(pkey.release(), EVP_PKEY_free);
  return RsaKey(std::move(shared), has_private, bits, std::move(n), std::move(e));
}

Result<RsaKey> RsaKey::generate(int bits) {
  if (bits < kMinBits || bits > kMaxBits) {
    return key_error(fmt::format("cannot generate an RSA key of {} bits", bits));
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1 ||
      EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    return key_error("RSA key generation failed: " + openssl_reason());
  }
  return adopt(raw, true);
}

Result<RsaKey> RsaKey::from_private_pem(std::string_view pem) {
  if (pem.size() > kMaxPemBytes) return key_error("PEM private key is too large");
  BioPtr bio = read_bio(pem);
  EVP_PKEY* raw =
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr) : nullptr;
  if (!raw) {
    return key_error(
        "cannot read an unencrypted RSA private key (PEM \"PRIVATE KEY\" or \"RSA PRIVATE "
        "KEY\"): " +
        openssl_reason());
  }
  return adopt(raw, true);
}

Result<RsaKey> RsaKey::from_public_pem(std::string_view pem) {
  if (pem.size() > kMaxPemBytes) return key_error("PEM public key is too large");
  BioPtr bio = read_bio(pem);
  EVP_PKEY* raw = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr) : nullptr;
  if (!raw) {
    return key_error("cannot read a PEM public key (\"BEGIN PUBLIC KEY\"): " + openssl_reason());
  }
  return adopt(raw, false);
}

Result<RsaKey> RsaKey::from_jwk(const json::Value& jwk) {
  if (!jwk.IsObject()) return key_error("a JWK must be a JSON object");
  const json::Value* kty = string_member(jwk, "kty");
  if (!kty) return key_error("JWK has no \"kty\" string");
  if (view(*kty) != "RSA") return key_error(fmt::format("JWK kty \"{}\" is not RSA", view(*kty)));
  if (const json::Value* use = string_member(jwk, "use"); use && view(*use) != "sig") {
    return key_error(fmt::format("JWK use \"{}\" is not \"sig\"", view(*use)));
  }
  if (const json::Value* alg = string_member(jwk, "alg"); alg && view(*alg) != "RS256") {
    return key_error(fmt::format("JWK alg \"{}\" is not RS256", view(*alg)));
  }
  const json::Value* n = string_member(jwk, "n");
  const json::Value* e = string_member(jwk, "e");
  const json::Value* value = string_member(jwk, "value");
  if (n && e) {
    auto pkey = public_from_components(view(*n), view(*e));
    if (!pkey) return std::move(pkey).error();
    auto key = adopt(pkey->release(), false);
    if (!key || !value) return key;
    auto from_value = from_public_pem(view(*value));
    if (!from_value) return std::move(from_value).error();
    if (!key->same_public_key(*from_value)) {
      return key_error("JWK n and e and its \"value\" PEM describe different keys");
    }
    return key;
  }
  if (value) return from_public_pem(view(*value));
  return key_error("JWK has neither \"n\" and \"e\" nor a \"value\" PEM");
}

std::string RsaKey::public_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  int ok = bio ? PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) : 0;
  assert(ok == 1 && "writing a public key to memory cannot fail");
  (void)ok;
  return drain(bio.get());
}

Result<std::string> RsaKey::private_pem() const {
  if (!has_private_) return key_error("a public key has no private PEM");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    return key_error("cannot write the private key: " + openssl_reason());
  }
  return drain(bio.get());
}

void RsaKey::write_jwk(json::Writer& w, std::string_view kid) const {
  std::string value = public_pem();
  while (!value.empty() && value.back() == '\n') value.pop_back();
  w.start_object();
  w.field("kty", "RSA");
  w.field("e", e_);
  w.field("use", "sig");
  if (!kid.empty()) w.field("kid", kid);
  w.field("alg", "RS256");
  w.field("value", value);
  w.field("n", n_);
  w.end_object();
}

std::string RsaKey::to_jwk(std::string_view kid) const {
  json::Writer w;
  write_jwk(w, kid);
  return w.str();
}

Result<std::string> RsaKey::sign_sha256(std::string_view data) const {
  if (!has_private_) return key_error("cannot sign with a public key");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::string sig(static_cast<std::size_t>(EVP_PKEY_get_size(pkey_.get())), '\0');
  std::size_t len = sig.size();
  if (!ctx ||
      EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, pkey_.get(), nullptr) !=
          1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return key_error("RS256 signing failed: " + openssl_reason());
  }
  sig.resize(len);
  return sig;
}

bool RsaKey::verify_sha256(std::string_view data, std::string_view signature) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok = ctx &&
            EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, pkey_.get(),
                                    nullptr) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  // A bad signature leaves reasons on the error queue; they are not news to anyone.
  ERR_clear_error();
  return ok;
}

bool RsaKey::same_public_key(const RsaKey& other) const {
  bool same = EVP_PKEY_eq(pkey_.get(), other.pkey_.get()) == 1;
  ERR_clear_error();
  return same;
}

}  // namespace cupola::jwt
