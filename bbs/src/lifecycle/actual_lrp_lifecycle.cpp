#include "bbs/src/lifecycle/actual_lrp_lifecycle.h"

#include "bbs/api/models/errors.h"

namespace cupola::bbs {
namespace {

Error not_found() {
  return bbs_error(ErrorType::ResourceNotFound, "the requested resource could not be found");
}

const ActualLrp* find_instance(const std::vector<ActualLrp>& rows, Presence presence,
                               const ActualLrpInstanceKey& ik) {
  const ActualLrp* row = find_presence(rows, presence);
  return row && row->instance_key == ik ? row : nullptr;
}

ActualLrp changed_copy(const ActualLrp& before, ActualLrpState state, std::int64_t now) {
  ActualLrp after = before;
  after.state = state;
  after.since = now;
  after.modification_tag = before.modification_tag.incremented();
  return after;
}

}  // namespace

const ActualLrp* find_presence(const std::vector<ActualLrp>& rows, Presence presence) {
  for (const auto& r : rows) {
    if (r.presence == presence) return &r;
  }
  return nullptr;
}

Result<ActualLrpChanges> decide_claim(const std::vector<ActualLrp>& rows,
                                      const ActualLrpInstanceKey& ik, std::int64_t now) {
  if (find_instance(rows, Presence::Suspect, ik)) return ActualLrpChanges{};
  const ActualLrp* ord = find_presence(rows, Presence::Ordinary);
  if (!ord) return not_found();
  if (ord->state == ActualLrpState::Claimed && ord->instance_key == ik) return ActualLrpChanges{};
  if (!allows_transition(*ord, ord->key, ik, ActualLrpState::Claimed)) {
    return bbs_error(ErrorType::ActualLRPCannotBeClaimed, "cannot claim actual LRP");
  }
  ActualLrp after = changed_copy(*ord, ActualLrpState::Claimed, now);
  after.instance_key = ik;
  after.net_info = {};
  after.placement_error.clear();
  ActualLrpChanges c;
  c.changed.emplace_back(*ord, std::move(after));
  return c;
}

Result<ActualLrpChanges> decide_start(const std::vector<ActualLrp>& rows, const StartRequest& req,
                                      std::int64_t now, const std::string& new_epoch) {
  if (find_instance(rows, Presence::Suspect, req.instance_key)) return ActualLrpChanges{};
  ActualLrpChanges c;
  const ActualLrp* ord = find_presence(rows, Presence::Ordinary);
  auto fill = [&](ActualLrp& a) {
    a.state = ActualLrpState::Running;
    a.instance_key = req.instance_key;
    a.net_info = req.net_info;
    a.routable = req.routable;
    a.availability_zone = req.availability_zone;
    a.placement_error.clear();
    a.since = now;
  };
  if (!ord) {
    ActualLrp created;
    created.key = req.key;
    fill(created);
    created.modification_tag = {new_epoch, 0};
    c.created.push_back(std::move(created));
  } else {
    if (ord->state == ActualLrpState::Running && ord->instance_key == req.instance_key &&
        ord->net_info == req.net_info && ord->routable == req.routable &&
        ord->availability_zone == req.availability_zone) {
      return c;
    }
    if (!allows_transition(*ord, req.key, req.instance_key, ActualLrpState::Running)) {
      return bbs_error(ErrorType::ActualLRPCannotBeStarted, "cannot start actual LRP");
    }
    ActualLrp after = *ord;
    fill(after);
    after.modification_tag = ord->modification_tag.incremented();
    c.changed.emplace_back(*ord, std::move(after));
  }
  for (const auto& r : rows) {
    if (r.presence != Presence::Ordinary) c.removed.push_back(r);
  }
  return c;
}

Result<ActualLrpChanges> decide_fail(const std::vector<ActualLrp>& rows,
                                     const std::string& error_message, std::int64_t now) {
  const ActualLrp* ord = find_presence(rows, Presence::Ordinary);
  if (!ord) return not_found();
  if (ord->state != ActualLrpState::Unclaimed) {
    return bbs_error(ErrorType::ActualLRPCannotBeFailed, "cannot fail actual LRP");
  }
  ActualLrp after = changed_copy(*ord, ActualLrpState::Unclaimed, now);
  after.placement_error = truncate_reason(error_message);
  ActualLrpChanges c;
  c.changed.emplace_back(*ord, std::move(after));
  return c;
}

Result<ActualLrpChanges> decide_remove(const std::vector<ActualLrp>& rows,
                                       const std::optional<ActualLrpInstanceKey>& ik) {
  const ActualLrp* ord = find_presence(rows, Presence::Ordinary);
  if (!ord || (ik && !(ord->instance_key == *ik))) return not_found();
  ActualLrpChanges c;
  c.removed.push_back(*ord);
  return c;
}

Result<RetireDecision> decide_retire(const std::vector<ActualLrp>& rows, bool cell_alive) {
  const ActualLrp* ord = find_presence(rows, Presence::Ordinary);
  if (!ord) return not_found();
  RetireDecision d;
  bool placed = ord->state == ActualLrpState::Claimed || ord->state == ActualLrpState::Running;
  if (placed && cell_alive) {
    d.stop = *ord;
  } else {
    d.changes.removed.push_back(*ord);
  }
  return d;
}

Result<ActualLrpChanges> decide_unclaim(const std::vector<ActualLrp>& rows,
                                        const ModificationTag& expected, std::int64_t now) {
  const ActualLrp* ord = find_presence(rows, Presence::Ordinary);
  if (!ord) return not_found();
  if (!(ord->modification_tag == expected)) {
    return bbs_error(ErrorType::ResourceConflict, "the actual LRP changed meanwhile");
  }
  if (ord->state == ActualLrpState::Unclaimed) {
    return bbs_error(ErrorType::ActualLRPCannotBeUnclaimed, "cannot unclaim actual LRP");
  }
  ActualLrp after = changed_copy(*ord, ActualLrpState::Unclaimed, now);
  after.instance_key = {};
  after.net_info = {};
  ActualLrpChanges c;
  c.changed.emplace_back(*ord, std::move(after));
  return c;
}

}  // namespace cupola::bbs
