#pragma once

#include "bbs/src/db/cell_db.h"
#include "common/pg/pool.h"

namespace cupola::bbs {

// The presence stores on the cells, domains and locks tables. Each `pool` must outlive
// its store; calls run on the pool's executor.

class PgCellDb final : public CellDb {
 public:
  explicit PgCellDb(pg::Pool& pool) : pool_(pool) {}

  // CellDb
  boost::asio::awaitable<Status> heartbeat(CellPresence cell, std::int64_t ttl_ns,
                                           std::int64_t now) override;
  boost::asio::awaitable<Result<std::vector<CellPresence>>> list(std::int64_t now) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> prune(std::int64_t now) override;

 private:
  pg::Pool& pool_;
};

class PgDomainDb final : public DomainDb {
 public:
  explicit PgDomainDb(pg::Pool& pool) : pool_(pool) {}

  // DomainDb
  boost::asio::awaitable<Status> upsert(std::string domain, std::int64_t ttl_ns,
                                        std::int64_t now) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> fresh(std::int64_t now) override;

 private:
  pg::Pool& pool_;
};

class PgLockDb final : public LockDb {
 public:
  explicit PgLockDb(pg::Pool& pool) : pool_(pool) {}

  // LockDb
  boost::asio::awaitable<Status> acquire(std::string key, std::string owner, std::string value,
                                         std::int64_t ttl_ns, std::int64_t now) override;
  boost::asio::awaitable<Status> release(std::string key, std::string owner) override;
  boost::asio::awaitable<Result<LockRecord>> get(std::string key, std::int64_t now) override;

 private:
  pg::Pool& pool_;
};

// now + ttl, held at the largest time instead of overflowing.
std::int64_t expiry_after(std::int64_t now, std::int64_t ttl_ns);

}  // namespace cupola::bbs
