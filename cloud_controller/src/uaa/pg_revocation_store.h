#pragma once

#include "cloud_controller/src/uaa/revocation_store.h"
#include "common/pg/pool.h"

namespace cupola::cc::uaa {

// RevocationStore on the uaa_revoked_tokens table (schema.h). `pool` must outlive the
// store; calls run on the pool's executor.
class PgRevocationStore final : public RevocationStore {
 public:
  explicit PgRevocationStore(pg::Pool& pool) : pool_(pool) {}

  // RevocationStore
  boost::asio::awaitable<Status> revoke(RevokedToken token) override;
  boost::asio::awaitable<Result<bool>> is_revoked(std::string jti) override;
  boost::asio::awaitable<Result<std::vector<RevokedToken>>> list_active(TimePoint now) override;
  boost::asio::awaitable<Result<std::int64_t>> prune(TimePoint now) override;

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc::uaa
