#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/src/db/actual_lrp_db.h"
#include "common/core/result.h"

namespace cupola::bbs {

// The rules of the actual LRP lifecycle calls, as pure decisions over every row of one
// (process_guid, index) — what ActualLrpDb::mutate hands its decider. Each returns the
// rows to write, or the BBS error the caller answers with. Times are ns since the epoch;
// `new_epoch` is a fresh GUID for a row this call may create.

// The row of that presence, if any.
const ActualLrp* find_presence(const std::vector<ActualLrp>& rows, Presence presence);

// A rep claims an UNCLAIMED (or its own CLAIMED) instance.
Result<ActualLrpChanges> decide_claim(const std::vector<ActualLrp>& rows,
                                      const ActualLrpInstanceKey& instance_key, std::int64_t now);

struct StartRequest {
  ActualLrpKey key;
  ActualLrpInstanceKey instance_key;
  ActualLrpNetInfo net_info;
  bool routable = true;
  std::string availability_zone;
};

// A rep reports the instance running (again: a repeat with nothing new changes nothing).
// Creates the ORDINARY row when there is none; removes the EVACUATING and SUSPECT copies
// it replaces.
Result<ActualLrpChanges> decide_start(const std::vector<ActualLrp>& rows, const StartRequest& req,
                                      std::int64_t now, const std::string& new_epoch);

// The auctioneer could not place an UNCLAIMED instance.
Result<ActualLrpChanges> decide_fail(const std::vector<ActualLrp>& rows,
                                     const std::string& error_message, std::int64_t now);

// A rep removed the instance's container. With an instance key, only that instance.
Result<ActualLrpChanges> decide_remove(const std::vector<ActualLrp>& rows,
                                       const std::optional<ActualLrpInstanceKey>& instance_key);

// Retiring: rows not placed on a live cell are deleted at once; a CLAIMED or RUNNING
// instance on a live cell must be stopped by its rep (which then removes it).
struct RetireDecision {
  ActualLrpChanges changes;
  std::optional<ActualLrp> stop;  // the instance to ask its rep to stop
};
Result<RetireDecision> decide_retire(const std::vector<ActualLrp>& rows, bool cell_alive);

// Back to UNCLAIMED (crashed instances to restart, instances on lost cells).
Result<ActualLrpChanges> decide_unclaim(const std::vector<ActualLrp>& rows,
                                        const ModificationTag& expected, std::int64_t now);

}  // namespace cupola::bbs

namespace cupola::bbs {

// A rep reports the instance crashed. The count restarts at 1 after 5 minutes of running;
// crashes 1 and 2 go straight back to UNCLAIMED (and want an auction), later ones wait in
// CRASHED for convergence. A crash of the SUSPECT copy just removes it.
struct CrashDecision {
  ActualLrpChanges changes;
  std::optional<std::pair<ActualLrp, ActualLrp>> crashed;  // {as it ran, as it crashed}
  bool auction = false;
};
Result<CrashDecision> decide_crash(const std::vector<ActualLrp>& rows, const ActualLrpKey& key,
                                   const ActualLrpInstanceKey& instance_key,
                                   const std::string& error_message, std::int64_t now);

}  // namespace cupola::bbs
