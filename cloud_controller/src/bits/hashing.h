#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/core/result.h"

struct evp_md_ctx_st;

namespace cupola::cc::bits {

// An incremental SHA-1 or SHA-256 (OpenSSL EVP). finish() gives the lowercase hex digest,
// or Errc::Internal when OpenSSL failed at any step (SHA-1 disabled by a FIPS policy, say).
class Hasher {
 public:
  enum class Kind { Sha1, Sha256 };
  explicit Hasher(Kind kind);

  void update(std::string_view data);
  Result<std::string> finish();

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
  bool ok_ = false;
};

// The identity of a blob as Cloud Foundry records it: hex SHA-1 and SHA-256, and the size.
struct Digest {
  std::string sha1;
  std::string sha256;
  std::uint64_t size = 0;
};

// The digest of a file's contents. Errc::NotFound when it does not exist, Errc::Internal for
// other I/O failures.
Result<Digest> digest_file(const std::filesystem::path& path);

// Whether `s` is 40 lowercase hex digits, the only SHA-1 spelling used in keys and paths.
bool is_sha1_hex(std::string_view s);

}  // namespace cupola::cc::bits
