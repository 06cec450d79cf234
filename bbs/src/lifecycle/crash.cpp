#include "bbs/api/models/errors.h"
#include "bbs/src/convergence/restart_policy.h"
#include "bbs/src/lifecycle/actual_lrp_lifecycle.h"

namespace cupola::bbs {

Result<CrashDecision> decide_crash(const std::vector<ActualLrp>& rows, const ActualLrpKey& key,
                                   const ActualLrpInstanceKey& ik, const std::string& error_message,
                                   std::int64_t now) {
  CrashDecision d;
  if (const ActualLrp* suspect = find_presence(rows, Presence::Suspect);
      suspect && suspect->instance_key == ik) {
    d.changes.removed.push_back(*suspect);
    return d;
  }
  const ActualLrp* ord = find_presence(rows, Presence::Ordinary);
  if (!ord)
    return bbs_error(ErrorType::ResourceNotFound, "the requested resource could not be found");
  if (!allows_transition(*ord, key, ik, ActualLrpState::Crashed)) {
    return bbs_error(ErrorType::ActualLRPCannotBeCrashed, "cannot crash actual LRP");
  }
  ActualLrp after = *ord;
  after.crash_count = next_crash_count(*ord, now);
  after.state =
      restarts_immediately(after.crash_count) ? ActualLrpState::Unclaimed : ActualLrpState::Crashed;
  after.instance_key = {};
  after.net_info = {};
  after.crash_reason = truncate_reason(error_message);
  after.since = now;
  after.modification_tag = ord->modification_tag.incremented();
  d.auction = after.state == ActualLrpState::Unclaimed;
  d.crashed = std::make_pair(*ord, after);
  d.changes.changed.emplace_back(*ord, std::move(after));
  return d;
}

}  // namespace cupola::bbs
