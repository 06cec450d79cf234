#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bbs/src/db/cell_db.h"
#include "common/core/clock.h"
#include "common/log/log.h"

namespace cupola::bbs {

// Cell presences, domains and locks. Runs on the BBS's executor.
class CellController {
 public:
  CellController(CellDb& cells, DomainDb& domains, LockDb& locks, const Clock& clock,
                 log::Logger log)
      : cells_(cells), domains_(domains), locks_(locks), clock_(clock), log_(std::move(log)) {}

  // ttl_seconds 0 means the default (15 s).
  boost::asio::awaitable<Status> heartbeat(CellPresence cell, std::uint32_t ttl_seconds);
  boost::asio::awaitable<Result<std::vector<CellPresence>>> list_cells();
  boost::asio::awaitable<Status> upsert_domain(std::string domain, std::uint32_t ttl_seconds);
  boost::asio::awaitable<Result<std::vector<std::string>>> list_domains();
  boost::asio::awaitable<Status> acquire_lock(std::string key, std::string owner, std::string value,
                                              std::uint32_t ttl_seconds);
  boost::asio::awaitable<Status> release_lock(std::string key, std::string owner);
  boost::asio::awaitable<Result<LockRecord>> get_lock(std::string key);

 private:
  std::int64_t now() const;

  CellDb& cells_;
  DomainDb& domains_;
  LockDb& locks_;
  const Clock& clock_;
  log::Logger log_;
};

}  // namespace cupola::bbs
