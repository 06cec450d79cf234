// One LRP instance on this cell, from the auction's offer to its end.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "bbs/api/models/errors.h"
#include "diego/rep/src/cell.h"
#include "diego/rep/src/cell_records.h"
#include "diego/rep/src/instance_env.h"

namespace cupola::rep {
namespace asio = boost::asio;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint32_t kDefaultContainerPort = 8080;

// Diego's conversion of a CPU weight (1-100) to cgroup shares.
std::uint64_t cpu_shares(std::uint32_t weight) {
  if (weight == 0) return 0;
  return std::max<std::uint64_t>(2,
                                 std::uint64_t{1024} * std::min<std::uint32_t>(weight, 100) / 100);
}

}  // namespace

asio::awaitable<void> Cell::run_instance(std::shared_ptr<Instance> inst) {
  auto log = log_.session("lrp", {{"process_guid", inst->work.process_guid},
                                  {"index", inst->work.index},
                                  {"instance_guid", inst->guid}});
  auto claimed = co_await bbs_.claim_actual_lrp(inst->work.process_guid, inst->work.index,
                                                inst->instance_key(options_.cell_id));
  if (!claimed) {
    log.error("claim-failed", claimed.error().message);
  } else {
    inst->claimed = true;
    inst->claimed_at_ns = now_ns();
    inst->phase = Phase::Claimed;
    auto desired = co_await bbs_.desired_lrp_by_process_guid(inst->work.process_guid);
    if (!desired) {
      log.error("desired-lrp-missing", desired.error().message);
      if (inst->stop == StopMode::None) inst->stop = StopMode::Remove;
    } else if (inst->stop == StopMode::None) {
      Status ran = co_await run_instance_steps(inst, *desired);
      if (inst->stop == StopMode::None && !ran) {
        co_await report_crash(*inst, ran.error().message);
      } else if (inst->stop == StopMode::None) {
        // An app that exits 0 has still stopped running.
        co_await report_crash(*inst, "APP/PROC/WEB: Exited with status 0");
      }
    }
  }
  co_await finish_instance(inst);
}

asio::awaitable<Status> Cell::start_container(Instance& inst, const bbs::DesiredLrp& desired) {
  std::vector<std::uint32_t> container_ports = desired.ports;
  if (container_ports.empty()) container_ports.push_back(kDefaultContainerPort);
  for (auto container_port : container_ports) {
    auto port = ports_.acquire([this](std::uint32_t p) { return port_usable(p); });
    if (!port) {
      co_return make_error(make_error_code(Errc::Unavailable), "no free host port on the cell");
    }
    inst.ports.push_back({container_port, *port});
  }
  std::vector<garden::EnvVar> desired_env;
  for (const auto& e : desired.env) desired_env.emplace_back(e.name, e.value);
  garden::ContainerSpec spec;
  spec.handle = inst.guid;
  spec.limits.memory_bytes = static_cast<std::uint64_t>(desired.memory_mb) * kMiB;
  spec.limits.disk_bytes = static_cast<std::uint64_t>(desired.disk_mb) * kMiB;
  spec.limits.max_pids = static_cast<std::uint64_t>(std::max(0, desired.max_pids));
  spec.limits.cpu_shares = cpu_shares(desired.cpu_weight);
  spec.env =
      instance_env(desired_env, {inst.work.index, inst.guid, options_.host_address, inst.ports});
  if (!options_.lifecycle_dir.empty()) {
    spec.bind_mounts.push_back({options_.lifecycle_dir, "/tmp/lifecycle", true});
  }
  spec.properties = {{"owner", options_.cell_id},
                     {"kind", "lrp"},
                     {"process_guid", inst.work.process_guid},
                     {"index", std::to_string(inst.work.index)},
                     {"domain", inst.work.domain}};
  inst.phase = Phase::Creating;
  // Named, not a temporary: GCC 12 destroys temporaries inside co_await expressions twice.
  auto create = [this, spec] { return garden_.create(spec); };
  auto created = co_await executor::run_blocking(pool_, std::move(create));
  if (!created) co_return std::move(created).error();
  inst.container = *created;
  co_return Status{};
}

asio::awaitable<Status> Cell::run_instance_steps(std::shared_ptr<Instance> inst,
                                                 const bbs::DesiredLrp& desired) {
  if (auto st = co_await start_container(*inst, desired); !st) {
    co_return make_error(st.error().code, "failed to create container: " + st.error().message);
  }
  if (inst->stop != StopMode::None) co_return Status{};
  inst->phase = Phase::Starting;
  inst->metrics_guid = desired.metrics_guid.empty() ? desired.log_guid : desired.metrics_guid;
  auto source = desired.log_source.empty() ? std::string("APP/PROC/WEB") : desired.log_source;
  auto out = steps_.log_streamer(inst->guid, {source, inst->work.index, desired.log_guid,
                                              desired.log_rate_limit_bytes_per_second});

  if (!desired.setup.empty()) {
    auto setup = steps_.action(desired.setup, inst->container, out->with_source("CELL"));
    if (!setup) co_return std::move(setup).error();
    inst->active = {setup->get()};
    Status st = co_await (*setup)->perform();
    inst->active.clear();
    if (!st || inst->stop != StopMode::None) co_return st;
  }

  auto action = steps_.action(desired.action, inst->container, out);
  if (!action) co_return std::move(action).error();
  std::unique_ptr<executor::Step> monitor;
  if (!desired.monitor.empty()) {
    MonitorTiming timing = options_.monitor;
    if (desired.start_timeout_ms > 0) {
      timing.start_timeout = std::chrono::milliseconds(desired.start_timeout_ms);
    }
    auto built =
        steps_.monitor(desired.monitor, inst->container, out->with_source("HEALTH"), timing,
                       [this, inst] { asio::co_spawn(ex_, report_running(inst), asio::detached); });
    if (!built) co_return std::move(built).error();
    monitor = std::move(*built);
  }

  // The action and its monitor depend on each other: the first to end, ends the other.
  std::optional<Status> action_done, monitor_done;
  Wakeup wake(ex_);
  inst->active = {action->get()};
  executor::start_step(ex_, **action, [&](Status st) {
    action_done = std::move(st);
    wake.notify();
  });
  if (monitor) {
    inst->active.push_back(monitor.get());
    executor::start_step(ex_, *monitor, [&](Status st) {
      monitor_done = std::move(st);
      wake.notify();
    });
  } else {
    // Without a health check an instance counts as running once its process starts.
    asio::co_spawn(ex_, report_running(inst), asio::detached);
  }
  while (!action_done && !(monitor && monitor_done)) co_await wake.wait();
  Status first = action_done ? *action_done : *monitor_done;
  (*action)->cancel();
  if (monitor) monitor->cancel();
  while (!action_done || (monitor && !monitor_done)) co_await wake.wait();
  inst->active.clear();
  out->flush();
  if (!first && inst->container) {
    // A process the kernel killed for its memory says so, as Cloud Foundry does.
    auto c = inst->container;
    auto read = [c] { return c->metrics(); };
    auto m = co_await executor::run_blocking(pool_, std::move(read));
    if (m && m->oom_kills > 0 && first.error().message.find("out of memory") == std::string::npos) {
      co_return make_error(first.error().code, first.error().message + " (out of memory)");
    }
  }
  co_return first;
}

asio::awaitable<void> Cell::report_running(std::shared_ptr<Instance> inst) {
  if (inst->stop != StopMode::None || inst->reported_running) co_return;
  inst->reported_running = true;
  inst->phase = Phase::Running;
  bbs::ActualLrpStart start;
  start.key = inst->key;
  start.instance_key = inst->instance_key(options_.cell_id);
  start.net_info.address = options_.host_address;
  start.net_info.instance_address = options_.host_address;
  start.net_info.ports = inst->ports;
  start.availability_zone = options_.zone;
  auto st = co_await bbs_.start_actual_lrp(start);
  if (!st) {
    log_.error("start-actual-lrp-failed", st.error().message,
               {{"process_guid", inst->work.process_guid}, {"index", inst->work.index}});
    // The BBS gave the instance to someone else: this copy must go.
    stop_instance(*inst, StopMode::Silent);
    co_return;
  }
  log_.info("instance-running", {{"process_guid", inst->work.process_guid},
                                 {"index", inst->work.index},
                                 {"instance_guid", inst->guid}});
}

asio::awaitable<void> Cell::report_crash(Instance& inst, std::string reason) {
  log_.info(
      "instance-crashed",
      {{"process_guid", inst.work.process_guid}, {"index", inst.work.index}, {"reason", reason}});
  Status st;
  if (evacuating_) {
    auto r = co_await bbs_.evacuate_crashed_actual_lrp(inst.key,
                                                       inst.instance_key(options_.cell_id), reason);
    if (!r) st = std::move(r).error();
  } else {
    st = co_await bbs_.crash_actual_lrp(inst.key, inst.instance_key(options_.cell_id), reason);
  }
  if (!st) log_.error("crash-report-failed", st.error().message, {{"instance_guid", inst.guid}});
}

asio::awaitable<void> Cell::finish_instance(std::shared_ptr<Instance> inst) {
  inst->phase = Phase::Stopping;
  if (inst->container || inst->claimed) co_await destroy_container(inst->guid);
  inst->container.reset();
  if (inst->claimed && inst->stop == StopMode::Remove) {
    auto st = co_await bbs_.remove_actual_lrp(inst->work.process_guid, inst->work.index,
                                              inst->instance_key(options_.cell_id));
    if (!st)
      log_.error("remove-actual-lrp-failed", st.error().message, {{"instance_guid", inst->guid}});
  } else if (inst->claimed && inst->stop == StopMode::Evacuated) {
    auto r =
        co_await bbs_.evacuate_stopped_actual_lrp(inst->key, inst->instance_key(options_.cell_id));
    if (!r && bbs::error_type_of(r.error()) != bbs::ErrorType::ResourceNotFound) {
      log_.error("evacuate-stopped-failed", r.error().message, {{"instance_guid", inst->guid}});
    }
  }
  for (const auto& p : inst->ports) ports_.release(p.host_port);
  ledger_.release(inst->guid);
  instances_.erase(inst->guid);
  changed();
}

}  // namespace cupola::rep
