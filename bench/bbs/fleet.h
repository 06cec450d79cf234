#pragma once

// A realistic BBS fleet for benchmarks: desired LRPs of one instance each and their actual
// rows over a set of cells, and a bulk loader that writes them to the BBS tables.

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/desired_lrp.h"
#include "common/core/result.h"
#include "common/pg/pool.h"

namespace cupola::bench {

struct Fleet {
  std::vector<bbs::DesiredLrp> desired;
  std::vector<bbs::ActualLrp> actual;
  std::vector<std::string> cells;
  std::int64_t now = 0;  // ns since the epoch the `since` times are relative to
};

// `lrps` desired LRPs ("cf-apps", one instance) and one ORDINARY row each, spread over
// `cells` cells. Per 1,000 instances: 975 RUNNING, 10 CLAIMED, 5 UNCLAIMED (2 of them
// older than the stale-unclaimed limit), 10 CRASHED (2 with crash counts 3..7, most of
// which may restart at `now`; 8 inside the 16-minute backoff).
Fleet make_fleet(int lrps, int cells, std::int64_t now);

// The desired LRP record a client would send; `i` makes the guid and names unique.
bbs::DesiredLrp make_desired(const std::string& process_guid, int i);

// Writes the fleet into the (migrated, empty) BBS tables with multi-row INSERTs, the cells
// with presences that never expire and "cf-apps" as a fresh domain, then ANALYZEs. Runs on
// the pool's executor.
boost::asio::awaitable<Status> load_fleet(pg::Pool& pool, const Fleet& fleet);

// Saves the CRASHED rows aside (table bench_crashed), and puts them back as they were, so
// that every convergence pass starts from the same state.
boost::asio::awaitable<Status> save_crashed(pg::Pool& pool);
boost::asio::awaitable<Status> restore_crashed(pg::Pool& pool);

}  // namespace cupola::bench
