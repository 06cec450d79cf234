// Draining a cell (SIGTERM): running instances keep serving until their replacement runs
// elsewhere, as Diego's rep does.
#include "diego/rep/src/cell.h"
#include "diego/rep/src/cell_records.h"

namespace cupola::rep {
namespace asio = boost::asio;

// Reports one instance to the BBS; true when its container may stop now.
asio::awaitable<bool> Cell::evacuate_instance(std::shared_ptr<Instance> inst) {
  auto instance_key = inst->instance_key(options_.cell_id);
  if (!inst->claimed) co_return false;  // the claim is still in flight: try again later
  if (inst->phase == Phase::Running && inst->reported_running) {
    bbs::ActualLrpStart running;
    running.key = inst->key;
    running.instance_key = instance_key;
    running.net_info.address = options_.host_address;
    running.net_info.instance_address = options_.host_address;
    running.net_info.ports = inst->ports;
    running.availability_zone = options_.zone;
    auto keep = co_await bbs_.evacuate_running_actual_lrp(running);
    if (!keep) {
      log_.error("evacuate-running-failed", keep.error().message, {{"instance_guid", inst->guid}});
      co_return false;
    }
    co_return !*keep;
  }
  auto keep = co_await bbs_.evacuate_claimed_actual_lrp(inst->key, instance_key);
  if (!keep) {
    log_.error("evacuate-claimed-failed", keep.error().message, {{"instance_guid", inst->guid}});
    co_return false;
  }
  co_return !*keep;
}

asio::awaitable<void> Cell::evacuate(std::chrono::milliseconds timeout) {
  evacuating_ = true;
  auto log = log_.session("evacuate");
  log.info("started", {{"instances", static_cast<std::int64_t>(instances_.size())},
                       {"tasks", static_cast<std::int64_t>(tasks_.size())}});
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while ((!instances_.empty() || !tasks_.empty()) && std::chrono::steady_clock::now() < deadline) {
    std::vector<std::shared_ptr<Instance>> pending;
    for (const auto& [guid, inst] : instances_) {
      if (inst->stop == StopMode::None) pending.push_back(inst);
    }
    for (const auto& inst : pending) {
      if (inst->stop != StopMode::None) continue;
      if (co_await evacuate_instance(inst)) {
        log.info("instance-handed-over", {{"instance_guid", inst->guid}});
        stop_instance(*inst, StopMode::Evacuated);
      }
    }
    co_await idle_.wait_until(
        std::min(deadline, std::chrono::steady_clock::now() + options_.evacuation_poll));
  }
  if (!instances_.empty() || !tasks_.empty()) {
    log.info("timed-out", {{"instances", static_cast<std::int64_t>(instances_.size())},
                           {"tasks", static_cast<std::int64_t>(tasks_.size())}});
  }
  for (auto& [guid, inst] : instances_) stop_instance(*inst, StopMode::Evacuated);
  for (auto& [guid, task] : tasks_) stop_task(*task);
  auto stop_deadline =
      std::chrono::steady_clock::now() + options_.stop_grace + std::chrono::seconds(5);
  while ((!instances_.empty() || !tasks_.empty()) &&
         std::chrono::steady_clock::now() < stop_deadline) {
    co_await idle_.wait_until(stop_deadline);
  }
  log.info("done");
}

}  // namespace cupola::rep
