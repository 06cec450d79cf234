#pragma once

// Links the Cloud Controller hands to cells and to the BBS: a package or droplet to download,
// a droplet to upload, a staging result to report. Each link carries its expiry and an
// HMAC-SHA256 of method, path and expiry under a secret only the CC holds, so a link works
// for that one purpose until it expires, and no token travels into containers.

#include <chrono>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::cc {

class UrlSigner {
 public:
  // `base_url`: how cells and the BBS reach this CC ("http://10.0.0.5:9022"); `secret`: at
  // least 32 bytes.
  UrlSigner(std::string base_url, std::string secret);

  // base_url + path + "?expires=<unix seconds>&signature=<hex>", valid until now + ttl; a
  // zero ttl never expires (a desired LRP's droplet link: cells fetch it whenever an
  // instance starts).
  std::string sign(std::string_view method, std::string_view path, std::chrono::seconds ttl,
                   std::chrono::system_clock::time_point now) const;
  // Whether the query's expires and signature sign `method` and `path` and have not expired.
  bool verify(std::string_view method, std::string_view path, std::string_view query,
              std::chrono::system_clock::time_point now) const;

 private:
  std::string mac(std::string_view method, std::string_view path, std::int64_t expires) const;

  std::string base_url_;
  std::string secret_;
};

// The secret in `path` (hex), made with 32 random bytes and written with mode 0600 when
// missing. Errors: Unavailable when the file cannot be read or written.
Result<std::string> load_or_create_secret(const std::string& path);

}  // namespace cupola::cc
