#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/src/db/actual_lrp_db.h"
#include "common/core/result.h"

namespace cupola::bbs {

// The calls a draining rep makes for each instance on its cell, as pure decisions over
// every row of one (process_guid, index) — what ActualLrpDb::mutate hands its decider.
// The caller's row is the one whose instance key matches the request's. Times are ns since
// the epoch; `new_epoch` is a fresh GUID for an EVACUATING row this call may create.

struct EvacuationDecision {
  ActualLrpChanges changes;
  // Whether the rep keeps running its container (it serves as the EVACUATING copy).
  bool keep_container = false;
  // Whether the ordinary instance went back to UNCLAIMED and wants an auction.
  bool auction = false;
  // {as it ran, as it crashed} when an ordinary instance crashed.
  std::optional<std::pair<ActualLrp, ActualLrp>> crashed;
};

// The instance was CLAIMED on the draining cell and never started. The caller's EVACUATING
// or SUSPECT row is deleted; otherwise the caller's ORDINARY row goes back to UNCLAIMED and
// is auctioned. A caller holding no row (an earlier call already did it) changes nothing.
// Never keeps the container.
Result<EvacuationDecision> decide_evacuate_claimed(const std::vector<ActualLrp>& rows,
                                                   const ActualLrpInstanceKey& instance_key,
                                                   std::int64_t now);

struct EvacuateRunningRequest {
  ActualLrpKey key;
  ActualLrpInstanceKey instance_key;
  ActualLrpNetInfo net_info;
  // Unset: the value of the row evacuated (true and "" for a row created from nothing).
  std::optional<bool> routable;
  std::optional<std::string> availability_zone;
};

// The instance runs on the draining cell; it keeps serving as an EVACUATING RUNNING row
// until its replacement runs elsewhere:
//   - no rows, or the desired LRP is gone (`desired_exists` false): the caller's EVACUATING
//     row is deleted; keep=false;
//   - the caller holds the ORDINARY row, CLAIMED or RUNNING: it is copied to an EVACUATING
//     RUNNING row (new epoch; replacing another instance's EVACUATING row) and goes back to
//     UNCLAIMED for an auction; keep=true;
//   - the caller holds the SUSPECT row: it is copied to the EVACUATING row and deleted (its
//     replacement is already under way); keep=true;
//   - the ORDINARY row is missing, or RUNNING or CRASHED for another instance: the
//     caller's EVACUATING row is deleted; keep=false;
//   - the ORDINARY row is UNCLAIMED or CLAIMED by another instance: the caller's EVACUATING
//     row is created, or updated when the request changes it; keep=true — unless another
//     instance's EVACUATING row is there (keep=false, nothing written).
Result<EvacuationDecision> decide_evacuate_running(const std::vector<ActualLrp>& rows,
                                                   const EvacuateRunningRequest& req,
                                                   bool desired_exists, std::int64_t now,
                                                   const std::string& new_epoch);

// The instance's container stopped on the draining cell: the caller's EVACUATING or SUSPECT
// row is deleted, otherwise its ORDINARY row. ResourceNotFound when the caller holds none.
Result<EvacuationDecision> decide_evacuate_stopped(const std::vector<ActualLrp>& rows,
                                                   const ActualLrpInstanceKey& instance_key);

// The instance crashed on the draining cell: the caller's EVACUATING or SUSPECT row is
// deleted, otherwise the ORDINARY row crashes as decide_crash rules (its errors included).
// Never asks for an auction: an instance back in UNCLAIMED is auctioned by convergence.
Result<EvacuationDecision> decide_evacuate_crashed(const std::vector<ActualLrp>& rows,
                                                   const ActualLrpKey& key,
                                                   const ActualLrpInstanceKey& instance_key,
                                                   const std::string& error_message,
                                                   std::int64_t now);

// Deletes the EVACUATING row: ResourceNotFound when there is none, ActualLRPCannotBeRemoved
// when it belongs to another instance.
Result<ActualLrpChanges> decide_remove_evacuating(const std::vector<ActualLrp>& rows,
                                                  const ActualLrpInstanceKey& instance_key);

}  // namespace cupola::bbs
