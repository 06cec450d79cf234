#pragma once

// LRP convergence: compare what is desired with every ActualLRP row and decide what to do.
// Pure: no I/O, no clock; `now` comes in. The caller (the converger service, every 30 s and
// when a cell presence expires) reads the inputs, applies the effects and emits the events.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/desired_lrp.h"
#include "bbs/api/models/start_requests.h"

namespace cupola::bbs {

// An UNCLAIMED ordinary row older than this is auctioned again (its last placement failed
// or was lost).
inline constexpr std::chrono::nanoseconds kStaleUnclaimedActualLrpDuration =
    std::chrono::seconds{30};

struct LrpConvergenceInput {
  std::vector<DesiredLrp> desired;  // every desired LRP; unique by process_guid
  // Every ActualLRP row, all presences; unique by (process_guid, index, presence), as the
  // table's primary key guarantees. A duplicate row or desired LRP is ignored after the first.
  std::vector<ActualLrp> actual;
  std::unordered_set<std::string> live_cells;     // ids of cells with an unexpired presence
  std::unordered_set<std::string> fresh_domains;  // domains whose TTL has not run out
  std::int64_t now = 0;                           // ns since the epoch
};

enum class LrpChangeReason {
  Suspected,               // cell lost: ORDINARY -> SUSPECT, tag unchanged; replacement created
  UnclaimedOnMissingCell,  // cell lost while a suspect already exists: -> UNCLAIMED, no auction
  Promoted,                // suspect's cell is back: SUSPECT -> ORDINARY, tag unchanged
  RestartedAfterCrash,     // CRASHED and the restart policy allows: -> UNCLAIMED + auction
};

enum class LrpDeleteReason {
  EvacuatingCellGone,     // an EVACUATING row whose cell has no presence
  OrphanedSuspect,        // a SUSPECT row for an index no longer desired (fresh domain)
  ReplacementRunning,     // a SUSPECT row whose ORDINARY replacement is RUNNING on a live cell
  SupersededByPromotion,  // the ORDINARY replacement of a suspect that is being promoted
};

enum class LrpRetireReason {
  ExtraIndex,  // index >= desired instances (fresh domain)
  Orphaned,    // no desired LRP (fresh domain)
};

std::string_view to_string(LrpChangeReason r);
std::string_view to_string(LrpDeleteReason r);
std::string_view to_string(LrpRetireReason r);

// A compare-and-set update of one row. The row is identified by (before.key.process_guid,
// before.key.index, before.presence) and expected to carry before.modification_tag; `after`
// is the full new record. Presence may differ between the two (that is the change).
struct ActualLrpChange {
  ActualLrp before;
  ActualLrp after;
  LrpChangeReason reason;
};

// Delete the row (row.key, row.presence) if it still carries row.modification_tag.
struct ActualLrpDeletion {
  ActualLrp row;
  LrpDeleteReason reason;
};

// Retire the ORDINARY row of `key` (stop the instance via its rep, or delete the row when it
// has no running container).
struct ActualLrpRetirement {
  ActualLrpKey key;
  LrpRetireReason reason;
};

// For metrics. Row counts are of the input; action counts are of this pass.
struct LrpConvergenceCounters {
  std::int64_t desired_instances = 0;  // sum of `instances` over desired LRPs
  std::int64_t unclaimed = 0;          // ORDINARY rows by state
  std::int64_t claimed = 0;
  std::int64_t running = 0;
  std::int64_t crashed = 0;
  std::int64_t crashing_desired = 0;  // desired LRPs with at least one CRASHED ordinary row
  std::int64_t suspect_running = 0;   // SUSPECT rows by state
  std::int64_t suspect_claimed = 0;
  std::int64_t evacuating = 0;
  std::int64_t missing_instances = 0;  // desired indices with no ORDINARY row (created)
  std::int64_t extra_instances = 0;    // ORDINARY rows at index >= instances (any domain)
  std::int64_t live_cells = 0;
  std::int64_t fresh_domains = 0;
  std::int64_t stale_unclaimed = 0;  // re-auctioned
  std::int64_t restarted_crashed = 0;
};

// Effects of one pass. Apply in this order: deletions, changes, creations, retirements, then
// send all start requests as one batch. (A suspect flip frees the ORDINARY slot that a
// creation refills; a promotion's deletion frees the slot its change takes.) Each row is named
// by at most one deletion, change or retirement. Every effect is a compare-and-set; one that
// finds the row changed is skipped, and the next pass decides again.
struct LrpConvergenceResult {
  std::vector<ActualLrpDeletion> deletions;
  std::vector<ActualLrpChange> changes;
  // New UNCLAIMED ORDINARY rows: since = now, crash_count 0, modification_tag {"" , 0}; the
  // caller assigns a fresh epoch GUID.
  std::vector<ActualLrp> creations;
  std::vector<ActualLrpRetirement> retirements;
  std::vector<LrpStartRequest> start_requests;
  // Sorted ids of cells that CLAIMED or RUNNING rows name but that are not live.
  std::vector<std::string> missing_cells;
  LrpConvergenceCounters counters;
};

// One convergence pass. Per (process_guid, index), with D the desired LRP and the slot
// "wanted" when D exists and 0 <= index < D.instances; "fresh" means D's domain (or, with no
// D, the row's domain) is in fresh_domains; "live" means the row's cell_id is in live_cells.
//  1. An EVACUATING row that is not live is deleted. A live one is left alone: it keeps
//     serving until its rep removes it once the replacement runs.
//  2. Not wanted and fresh: the ORDINARY row is retired (ExtraIndex or Orphaned) and a
//     SUSPECT row deleted (OrphanedSuspect). Nothing else happens to the slot.
//  3. A SUSPECT row, when the ORDINARY row is RUNNING on a live cell, is deleted
//     (ReplacementRunning). Otherwise, if the suspect is live again it is promoted, and the
//     ORDINARY row, whatever its state, deleted (SupersededByPromotion); the slot is done.
//  4. Not wanted (stale domain): nothing else. Extra or orphaned indices are never started,
//     replaced or restarted.
//  5. No ORDINARY row: an UNCLAIMED row is created and auctioned (also when a non-live
//     suspect remains).
//  6. ORDINARY CLAIMED or RUNNING and not live: with a remaining suspect, unclaimed
//     (UnclaimedOnMissingCell; the stale-unclaimed rule auctions it later); otherwise made
//     SUSPECT and a replacement created and auctioned.
//  7. ORDINARY UNCLAIMED with since < now - 30 s: auctioned again (no row change).
//  8. ORDINARY CRASHED and should_restart(now, since, crash_count): unclaimed
//     (RestartedAfterCrash, crash_count kept) and auctioned.
// Output order is deterministic: by process_guid, then index.
LrpConvergenceResult converge_lrps(const LrpConvergenceInput& input);

}  // namespace cupola::bbs
