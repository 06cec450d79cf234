#pragma once

#include <map>
#include <utility>

#include "bbs/src/db/cell_db.h"
#include "test/bbs/fakes/call_log.h"

namespace cupola::bbs::fakes {

// The presence stores in maps, with the Postgres stores' semantics: a row lives while its
// expire time (now + ttl, held at the largest time) is after `now`; listings are ordered
// by name.

class FakeCellDb final : public CellDb, public CallLog {
 public:
  // CellDb
  boost::asio::awaitable<Status> heartbeat(CellPresence cell, std::int64_t ttl_ns,
                                           std::int64_t now) override;
  boost::asio::awaitable<Result<std::vector<CellPresence>>> list(std::int64_t now) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> prune(std::int64_t now) override;

  // Cell ids of the heartbeats, oldest first.
  std::vector<std::string> heartbeat_calls;

 private:
  std::map<std::string, std::pair<CellPresence, std::int64_t>> cells_;
};

class FakeDomainDb final : public DomainDb, public CallLog {
 public:
  // DomainDb
  boost::asio::awaitable<Status> upsert(std::string domain, std::int64_t ttl_ns,
                                        std::int64_t now) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> fresh(std::int64_t now) override;

  std::vector<std::string> upsert_calls;

 private:
  std::map<std::string, std::int64_t> expiries_;
};

class FakeLockDb final : public LockDb, public CallLog {
 public:
  // LockDb
  boost::asio::awaitable<Status> acquire(std::string key, std::string owner, std::string value,
                                         std::int64_t ttl_ns, std::int64_t now) override;
  boost::asio::awaitable<Status> release(std::string key, std::string owner) override;
  boost::asio::awaitable<Result<LockRecord>> get(std::string key, std::int64_t now) override;

  // The owner holding `key`, expired or not; "" when none.
  std::string owner_of(const std::string& key) const;

 private:
  struct Lock {
    std::string owner;
    std::string value;
    std::int64_t expire_time = 0;
  };
  std::map<std::string, Lock> locks_;
};

}  // namespace cupola::bbs::fakes
