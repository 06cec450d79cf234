#include "diego/executor/digest.h"

#include <openssl/evp.h>

#include <cassert>
#include <cctype>

namespace cupola::executor {

std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "md5") return DigestAlgorithm::Md5;
  if (lower == "sha1") return DigestAlgorithm::Sha1;
  if (lower == "sha256") return DigestAlgorithm::Sha256;
  return std::nullopt;
}

std::string_view digest_name(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::Md5:
      return "md5";
    case DigestAlgorithm::Sha1:
      return "sha1";
    case DigestAlgorithm::Sha256:
      return "sha256";
  }
  return "";
}

struct Digester::Contexts {
  std::array<EVP_MD_CTX*, 3> ctx{};
  ~Contexts() {
    for (auto* c : ctx) EVP_MD_CTX_free(c);
  }
};

Digester::Digester() : contexts_(std::make_unique<Contexts>()) {
  const std::array<const EVP_MD*, 3> kinds = {EVP_md5(), EVP_sha1(), EVP_sha256()};
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    contexts_->ctx[i] = EVP_MD_CTX_new();
    bool ok = contexts_->ctx[i] && EVP_DigestInit_ex(contexts_->ctx[i], kinds[i], nullptr) == 1;
    assert(ok && "OpenSSL digest init");
    (void)ok;
  }
}

Digester::~Digester() = default;

void Digester::update(std::string_view bytes) {
  for (auto* c : contexts_->ctx) EVP_DigestUpdate(c, bytes.data(), bytes.size());
}

void Digester::finish() {
  for (std::size_t i = 0; i < raw_.size(); ++i) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(contexts_->ctx[i], out, &n);
    raw_[i].assign(reinterpret_cast<const char*>(out), n);
  }
}

const std::string& Digester::raw(DigestAlgorithm algorithm) const {
  return raw_[static_cast<std::size_t>(algorithm)];
}

std::string Digester::hex(DigestAlgorithm algorithm) const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw(algorithm)) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

}  // namespace cupola::executor
