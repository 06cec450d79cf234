#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cupola::executor {

enum class DigestAlgorithm { Md5, Sha1, Sha256 };

// "md5", "sha1", "sha256" in any case; nullopt for anything else.
std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name);
std::string_view digest_name(DigestAlgorithm algorithm);

// MD5, SHA-1 and SHA-256 of a stream of bytes at once (download checksums, upload
// integrity headers).
class Digester {
 public:
  Digester();
  ~Digester();
  Digester(const Digester&) = delete;
  Digester& operator=(const Digester&) = delete;

  void update(std::string_view bytes);
  // Ends the stream; the digests below are then available.
  void finish();

  // The raw digest bytes and their lower-case hex.
  const std::string& raw(DigestAlgorithm algorithm) const;
  std::string hex(DigestAlgorithm algorithm) const;

 private:
  struct Contexts;
  std::unique_ptr<Contexts> contexts_;
  std::array<std::string, 3> raw_;
};

}  // namespace cupola::executor
