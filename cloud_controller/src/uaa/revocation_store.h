#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/core/time.h"

namespace cupola::cc::uaa {

// A token id (the "jti" claim) that must no longer be accepted, kept until `expires_at`,
// after which the token is refused as expired anyway.
struct RevokedToken {
  std::string jti;
  std::string user_id;    // whose token it was, when known
  std::string client_id;  // the client it was issued to, when known
  TimePoint expires_at{};
};

// The revocation list, shared by every Cloud Controller through Postgres. Implementations:
// PgRevocationStore and an in-memory fake for tests. Calls run on the store's executor.
class RevocationStore {
 public:
  virtual ~RevocationStore() = default;

  // Records the revocation. Revoking a jti again keeps the later expiry.
  virtual boost::asio::awaitable<Status> revoke(RevokedToken token) = 0;

  // Whether `jti` is on the list (expired entries may still be there until pruned).
  virtual boost::asio::awaitable<Result<bool>> is_revoked(std::string jti) = 0;

  // Entries that expire after `now`, ordered by jti.
  virtual boost::asio::awaitable<Result<std::vector<RevokedToken>>> list_active(TimePoint now) = 0;

  // Deletes entries that expired at or before `now`; returns how many.
  virtual boost::asio::awaitable<Result<std::int64_t>> prune(TimePoint now) = 0;
};

}  // namespace cupola::cc::uaa
