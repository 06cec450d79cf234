#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cloud_controller/src/uaa/revocation_store.h"

namespace cupola::cc::uaa {

// The revoked token ids a Cloud Controller checks every request against, in memory so
// that checking a bearer token needs no database round trip. The token service adds to it
// as it revokes; RevocationSync merges in what other Cloud Controllers revoked (from the
// shared RevocationStore) every few seconds. Entries are dropped once past their expiry.
// Thread-safe.
class RevokedTokens {
 public:
  // Adds or extends one entry.
  void add(std::string jti, TimePoint expires_at);
  // Adds every entry (a revocation is never undone, so merging is always right).
  void merge(const std::vector<RevokedToken>& tokens);
  bool contains(std::string_view jti) const;
  // Drops entries that expired at or before `now`; returns how many.
  std::size_t prune(TimePoint now);
  std::size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, TimePoint> expiry_;
};

}  // namespace cupola::cc::uaa
