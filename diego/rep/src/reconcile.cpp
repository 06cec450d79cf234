#include "diego/rep/src/reconcile.h"

#include <set>

namespace cupola::rep {

std::vector<ReconcileOp> reconcile(const std::string& cell_id,
                                   const std::vector<bbs::ActualLrp>& bbs_lrps,
                                   const std::vector<bbs::Task>& bbs_tasks,
                                   const std::vector<LocalInstance>& instances,
                                   const std::vector<LocalTask>& tasks, std::int64_t snapshot_ns) {
  std::vector<ReconcileOp> ops;

  // Instances the BBS places on this cell, claimed or running, in any presence: an
  // evacuating copy still runs here.
  std::set<std::string> bbs_instances;
  for (const auto& lrp : bbs_lrps) {
    if (lrp.instance_key.cell_id != cell_id) continue;
    if (lrp.state != bbs::ActualLrpState::Claimed && lrp.state != bbs::ActualLrpState::Running) {
      continue;
    }
    bbs_instances.insert(lrp.instance_key.instance_guid);
  }
  std::set<std::string> local_instances;
  for (const auto& i : instances) local_instances.insert(i.instance_guid);

  for (const auto& i : instances) {
    if (!i.claimed || i.claimed_at_ns >= snapshot_ns) continue;
    if (!bbs_instances.contains(i.instance_guid)) {
      ops.push_back({ReconcileOp::Kind::StopInstance, i.instance_guid, i.key,
                     bbs::ActualLrpInstanceKey{i.instance_guid, cell_id}, ""});
    }
  }
  for (const auto& lrp : bbs_lrps) {
    if (lrp.instance_key.cell_id != cell_id) continue;
    if (lrp.state != bbs::ActualLrpState::Claimed && lrp.state != bbs::ActualLrpState::Running) {
      continue;
    }
    if (lrp.presence != bbs::Presence::Ordinary) continue;
    if (local_instances.contains(lrp.instance_key.instance_guid)) continue;
    ops.push_back({ReconcileOp::Kind::CrashLrp, lrp.instance_key.instance_guid, lrp.key,
                   lrp.instance_key, kMissingInstanceReason});
  }

  std::set<std::string> bbs_running_tasks;
  for (const auto& t : bbs_tasks) {
    if (t.cell_id == cell_id && t.state == bbs::TaskState::Running) {
      bbs_running_tasks.insert(t.task_guid);
    }
  }
  std::set<std::string> local_tasks;
  for (const auto& t : tasks) local_tasks.insert(t.task_guid);
  for (const auto& t : tasks) {
    if (!t.started || t.started_at_ns >= snapshot_ns) continue;
    if (!bbs_running_tasks.contains(t.task_guid)) {
      ops.push_back({ReconcileOp::Kind::StopTask, t.task_guid, {}, {}, ""});
    }
  }
  for (const auto& guid : bbs_running_tasks) {
    if (!local_tasks.contains(guid)) {
      ops.push_back({ReconcileOp::Kind::FailTask, guid, {}, {}, kMissingTaskReason});
    }
  }
  return ops;
}

}  // namespace cupola::rep
