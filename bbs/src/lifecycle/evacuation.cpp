#include "bbs/src/lifecycle/evacuation.h"

#include "bbs/api/models/errors.h"
#include "bbs/src/lifecycle/actual_lrp_lifecycle.h"

namespace cupola::bbs {
namespace {

Error not_found() {
  return bbs_error(ErrorType::ResourceNotFound, "the requested resource could not be found");
}

// The row of that presence when the caller holds it.
const ActualLrp* held(const std::vector<ActualLrp>& rows, Presence presence,
                      const ActualLrpInstanceKey& ik) {
  const ActualLrp* row = find_presence(rows, presence);
  return row && row->instance_key == ik ? row : nullptr;
}

bool placed(const ActualLrp& row) {
  return row.state == ActualLrpState::Claimed || row.state == ActualLrpState::Running;
}

ActualLrp unclaimed(const ActualLrp& before, std::int64_t now) {
  ActualLrp after = before;
  after.state = ActualLrpState::Unclaimed;
  after.instance_key = {};
  after.net_info = {};
  after.placement_error.clear();
  after.since = now;
  after.modification_tag = before.modification_tag.incremented();
  return after;
}

// Writes the caller's EVACUATING RUNNING row as the request describes it, starting from
// `base` (the row it copies, or one holding just the key). The EVACUATING row already there
// is updated when it is the caller's and replaced when it is another instance's.
void put_evacuating(ActualLrpChanges& c, const ActualLrp* evacuating, const ActualLrp& base,
                    const EvacuateRunningRequest& req, std::int64_t now,
                    const std::string& new_epoch) {
  ActualLrp after = base;
  after.presence = Presence::Evacuating;
  after.state = ActualLrpState::Running;
  after.instance_key = req.instance_key;
  after.net_info = req.net_info;
  after.placement_error.clear();
  if (req.routable) after.routable = *req.routable;
  if (req.availability_zone) after.availability_zone = *req.availability_zone;
  if (evacuating && evacuating->instance_key == req.instance_key) {
    after.since = evacuating->since;
    after.modification_tag = evacuating->modification_tag;
    if (after == *evacuating) return;
    after.modification_tag = evacuating->modification_tag.incremented();
    c.changed.emplace_back(*evacuating, std::move(after));
    return;
  }
  if (evacuating) c.removed.push_back(*evacuating);
  after.since = now;
  after.modification_tag = {new_epoch, 0};
  c.created.push_back(std::move(after));
}

}  // namespace

Result<EvacuationDecision> decide_evacuate_claimed(const std::vector<ActualLrp>& rows,
                                                   const ActualLrpInstanceKey& ik,
                                                   std::int64_t now) {
  EvacuationDecision d;
  for (Presence p : {Presence::Evacuating, Presence::Suspect}) {
    if (const ActualLrp* copy = held(rows, p, ik)) {
      d.changes.removed.push_back(*copy);
      return d;
    }
  }
  if (const ActualLrp* ord = held(rows, Presence::Ordinary, ik); ord && placed(*ord)) {
    d.changes.changed.emplace_back(*ord, unclaimed(*ord, now));
    d.auction = true;
  }
  return d;
}

Result<EvacuationDecision> decide_evacuate_running(const std::vector<ActualLrp>& rows,
                                                   const EvacuateRunningRequest& req,
                                                   bool desired_exists, std::int64_t now,
                                                   const std::string& new_epoch) {
  EvacuationDecision d;
  const ActualLrp* ord = find_presence(rows, Presence::Ordinary);
  const ActualLrp* evacuating = find_presence(rows, Presence::Evacuating);
  const ActualLrp* own_evacuating = held(rows, Presence::Evacuating, req.instance_key);
  auto give_up = [&] {
    if (own_evacuating) d.changes.removed.push_back(*own_evacuating);
    return d;
  };
  if (rows.empty() || !desired_exists) return give_up();

  const ActualLrp* own_ord = held(rows, Presence::Ordinary, req.instance_key);
  if (own_ord && placed(*own_ord)) {
    put_evacuating(d.changes, evacuating, *own_ord, req, now, new_epoch);
    d.changes.changed.emplace_back(*own_ord, unclaimed(*own_ord, now));
    d.keep_container = true;
    d.auction = true;
    return d;
  }
  if (const ActualLrp* own_suspect = held(rows, Presence::Suspect, req.instance_key)) {
    put_evacuating(d.changes, evacuating, *own_suspect, req, now, new_epoch);
    d.changes.removed.push_back(*own_suspect);
    d.keep_container = true;
    return d;
  }

  // The caller's instance is only (if at all) the EVACUATING copy: it serves until the
  // ORDINARY replacement runs.
  if (!ord || ord->state == ActualLrpState::Running || ord->state == ActualLrpState::Crashed) {
    return give_up();
  }
  if (evacuating && !own_evacuating) return d;
  ActualLrp base;
  if (own_evacuating) {
    base = *own_evacuating;
  } else {
    base.key = ord->key;
    base.routable = true;
  }
  put_evacuating(d.changes, evacuating, base, req, now, new_epoch);
  d.keep_container = true;
  return d;
}

Result<EvacuationDecision> decide_evacuate_stopped(const std::vector<ActualLrp>& rows,
                                                   const ActualLrpInstanceKey& ik) {
  EvacuationDecision d;
  for (Presence p : {Presence::Evacuating, Presence::Suspect, Presence::Ordinary}) {
    if (const ActualLrp* row = held(rows, p, ik)) {
      d.changes.removed.push_back(*row);
      return d;
    }
  }
  return not_found();
}

Result<EvacuationDecision> decide_evacuate_crashed(const std::vector<ActualLrp>& rows,
                                                   const ActualLrpKey& key,
                                                   const ActualLrpInstanceKey& ik,
                                                   const std::string& error_message,
                                                   std::int64_t now) {
  EvacuationDecision d;
  for (Presence p : {Presence::Evacuating, Presence::Suspect}) {
    if (const ActualLrp* copy = held(rows, p, ik)) {
      d.changes.removed.push_back(*copy);
      return d;
    }
  }
  auto crash = decide_crash(rows, key, ik, error_message, now);
  if (!crash) return std::move(crash).error();
  d.changes = std::move(crash->changes);
  d.crashed = std::move(crash->crashed);
  return d;
}

Result<ActualLrpChanges> decide_remove_evacuating(const std::vector<ActualLrp>& rows,
                                                  const ActualLrpInstanceKey& ik) {
  const ActualLrp* evacuating = find_presence(rows, Presence::Evacuating);
  if (!evacuating) return not_found();
  if (!(evacuating->instance_key == ik)) {
    return bbs_error(ErrorType::ActualLRPCannotBeRemoved, "cannot remove actual LRP");
  }
  ActualLrpChanges c;
  c.removed.push_back(*evacuating);
  return c;
}

}  // namespace cupola::bbs
