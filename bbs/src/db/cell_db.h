#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bbs/api/models/cell.h"
#include "common/core/result.h"

namespace cupola::bbs {

// Cell presences with a time to live, fresh domains, and simple named locks. Times are ns
// since the epoch, passed in by the caller's clock. All calls run on the BBS's executor.
class CellDb {
 public:
  virtual ~CellDb() = default;

  // Creates or refreshes the presence; it lives until now + ttl.
  virtual boost::asio::awaitable<Status> heartbeat(CellPresence cell, std::int64_t ttl_ns,
                                                   std::int64_t now) = 0;
  // Presences that have not expired at `now`.
  virtual boost::asio::awaitable<Result<std::vector<CellPresence>>> list(std::int64_t now) = 0;
  // Deletes presences expired at `now` and returns their cell ids.
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> prune(std::int64_t now) = 0;
};

class DomainDb {
 public:
  virtual ~DomainDb() = default;
  // ttl_ns 0: fresh forever.
  virtual boost::asio::awaitable<Status> upsert(std::string domain, std::int64_t ttl_ns,
                                                std::int64_t now) = 0;
  // Names of the domains fresh at `now`.
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> fresh(std::int64_t now) = 0;
};

class LockDb {
 public:
  virtual ~LockDb() = default;
  // Takes or refreshes `key` for `owner` until now + ttl, storing `value` with it (a refresh
  // replaces the value). LockCollision when another owner holds it unexpired.
  virtual boost::asio::awaitable<Status> acquire(std::string key, std::string owner,
                                                 std::string value, std::int64_t ttl_ns,
                                                 std::int64_t now) = 0;
  // ResourceNotFound unless `owner` holds `key`.
  virtual boost::asio::awaitable<Status> release(std::string key, std::string owner) = 0;
  // The holder of `key` at `now`; ResourceNotFound when nobody holds it or it expired.
  virtual boost::asio::awaitable<Result<LockRecord>> get(std::string key, std::int64_t now) = 0;
};

}  // namespace cupola::bbs
