#include "diego/rep/src/cell.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "diego/rep/src/cell_records.h"

namespace cupola::rep {
namespace asio = boost::asio;

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::Reserved:
      return "reserved";
    case Phase::Claimed:
      return "claimed";
    case Phase::Creating:
      return "creating";
    case Phase::Starting:
      return "starting";
    case Phase::Running:
      return "running";
    case Phase::Stopping:
      return "stopping";
  }
  return "unknown";
}

namespace {

// "preloaded:cupolafs" and "cupolafs" name the same stack.
std::string stack_of(const std::string& root_fs) {
  constexpr std::string_view kPreloaded = "preloaded:";
  return root_fs.starts_with(kPreloaded) ? root_fs.substr(kPreloaded.size()) : root_fs;
}

}  // namespace

Cell::Cell(asio::any_io_executor ex, CellOptions options, auction::Resources total,
           bbs::BbsClient& bbs, garden::Backend& garden, asio::thread_pool& pool,
           StepBuilder& steps, GuidGenerator& guids, const Clock& clock, log::Logger log)
    : ex_(ex),
      options_(std::move(options)),
      bbs_(bbs),
      garden_(garden),
      pool_(pool),
      steps_(steps),
      guids_(guids),
      clock_(clock),
      log_(std::move(log)),
      ledger_(total),
      ports_(options_.first_port, options_.last_port),
      idle_(ex) {}

Cell::~Cell() = default;

std::int64_t Cell::now_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now().time_since_epoch())
      .count();
}

bool Cell::port_usable(std::uint32_t port) const {
  if (!options_.check_ports) return true;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return true;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

auctioneer::CellStateReport Cell::state() const {
  auctioneer::CellStateReport r;
  r.cell_id = options_.cell_id;
  r.zone = options_.zone;
  r.total = ledger_.total();
  r.available = ledger_.available();
  for (const auto& [guid, inst] : instances_) {
    r.lrps.push_back(
        {inst->work.process_guid, inst->work.index, inst->work.memory_mb, inst->work.disk_mb});
    if (inst->phase != Phase::Running) ++r.starting_containers;
  }
  for (const auto& [guid, task] : tasks_) {
    r.tasks.push_back({guid, task->work.memory_mb, task->work.disk_mb});
  }
  r.placement_tags = options_.placement_tags;
  r.optional_placement_tags = options_.optional_placement_tags;
  r.evacuating = evacuating_;
  r.stacks = options_.stacks;
  return r;
}

bbs::CellPresence Cell::presence() const {
  bbs::CellPresence p;
  p.cell_id = options_.cell_id;
  p.rep_address = "nats";
  p.zone = options_.zone;
  p.capacity.memory_mb = static_cast<std::int32_t>(ledger_.total().memory_mb);
  p.capacity.disk_mb = static_cast<std::int32_t>(ledger_.total().disk_mb);
  p.capacity.containers = static_cast<std::int32_t>(ledger_.total().containers);
  p.stacks = options_.stacks;
  p.placement_tags = options_.placement_tags;
  p.optional_placement_tags = options_.optional_placement_tags;
  return p;
}

std::vector<ContainerReport> Cell::containers() const {
  std::vector<ContainerReport> out;
  for (const auto& [guid, inst] : instances_) {
    ContainerReport c{
        guid,        "lrp", inst->work.process_guid, inst->work.index, phase_name(inst->phase),
        inst->ports, {}};
    if (auto it = metrics_.find(guid); it != metrics_.end()) c.metrics = it->second;
    out.push_back(std::move(c));
  }
  for (const auto& [guid, task] : tasks_) {
    ContainerReport c{guid, "task", "", 0, phase_name(task->phase), {}, {}};
    if (auto it = metrics_.find(guid); it != metrics_.end()) c.metrics = it->second;
    out.push_back(std::move(c));
  }
  return out;
}

auctioneer::Work Cell::perform(const auctioneer::Work& work) {
  auctioneer::Work refused;
  auto supports = [&](const std::string& root_fs) {
    return std::find(options_.stacks.begin(), options_.stacks.end(), stack_of(root_fs)) !=
           options_.stacks.end();
  };
  for (const auto& lrp : work.lrps) {
    bool duplicate = std::any_of(instances_.begin(), instances_.end(), [&](const auto& kv) {
      return kv.second->work.process_guid == lrp.process_guid &&
             kv.second->work.index == lrp.index && kv.second->stop == StopMode::None;
    });
    std::string guid = guids_.next();
    if (evacuating_ || duplicate || !supports(lrp.root_fs) ||
        !ledger_.reserve(guid, lrp.memory_mb, lrp.disk_mb)) {
      refused.lrps.push_back(lrp);
      continue;
    }
    auto inst = std::make_shared<Instance>();
    inst->guid = guid;
    inst->work = lrp;
    inst->key = {lrp.process_guid, lrp.index, lrp.domain};
    instances_.emplace(guid, inst);
    asio::co_spawn(ex_, run_instance(inst), asio::detached);
  }
  for (const auto& task : work.tasks) {
    if (evacuating_ || tasks_.contains(task.task_guid) || !supports(task.root_fs) ||
        !ledger_.reserve(task.task_guid, task.memory_mb, task.disk_mb)) {
      refused.tasks.push_back(task);
      continue;
    }
    auto run = std::make_shared<TaskRun>();
    run->guid = task.task_guid;
    run->work = task;
    tasks_.emplace(task.task_guid, run);
    asio::co_spawn(ex_, run_task(run), asio::detached);
  }
  if (!work.empty()) {
    log_.info("perform", {{"lrps", static_cast<std::int64_t>(work.lrps.size())},
                          {"tasks", static_cast<std::int64_t>(work.tasks.size())},
                          {"refused", static_cast<std::int64_t>(refused.size())}});
  }
  return refused;
}

void Cell::stop_lrp(const bbs::ActualLrpKey& key, const bbs::ActualLrpInstanceKey& instance_key) {
  auto it = instances_.find(instance_key.instance_guid);
  if (it == instances_.end() || it->second->work.process_guid != key.process_guid ||
      it->second->work.index != key.index) {
    log_.info("stop-lrp-unknown", {{"process_guid", key.process_guid},
                                   {"index", key.index},
                                   {"instance_guid", instance_key.instance_guid}});
    return;
  }
  stop_instance(*it->second, StopMode::Remove);
}

void Cell::stop_instance(Instance& inst, StopMode mode) {
  if (inst.stop != StopMode::None) return;
  inst.stop = mode;
  for (auto* step : inst.active) step->cancel();
}

void Cell::cancel_task(const std::string& task_guid) {
  auto it = tasks_.find(task_guid);
  if (it == tasks_.end()) return;
  it->second->cancelled = true;
  stop_task(*it->second);
}

void Cell::stop_task(TaskRun& task) {
  if (task.active != nullptr) task.active->cancel();
}

asio::awaitable<void> Cell::destroy_container(const std::string& handle) {
  // Named, not a temporary: GCC 12 destroys temporaries inside co_await expressions twice.
  auto destroy = [this, handle] { return garden_.destroy(handle); };
  auto st = co_await executor::run_blocking(pool_, std::move(destroy));
  if (!st && st.error().code != make_error_code(Errc::NotFound)) {
    log_.error("destroy-failed", st.error().message, {{"handle", handle}});
  }
  metrics_.erase(handle);
}

asio::awaitable<void> Cell::reclaim() {
  auto list = [this] { return garden_.list(); };
  auto handles = co_await executor::run_blocking(pool_, std::move(list));
  if (!handles) {
    log_.error("reclaim-list-failed", handles.error().message);
    co_return;
  }
  for (const auto& handle : *handles) {
    if (instances_.contains(handle) || tasks_.contains(handle)) continue;
    log_.info("reclaim-destroying", {{"handle", handle}});
    co_await destroy_container(handle);
  }
}

asio::awaitable<void> Cell::reconcile_once() {
  std::int64_t snapshot = now_ns();
  bbs::ActualLrpQuery lq;
  lq.cell_id = options_.cell_id;
  auto lrps = co_await bbs_.actual_lrps(lq);
  if (!lrps) {
    log_.error("reconcile-list-lrps-failed", lrps.error().message);
    co_return;
  }
  bbs::TaskQuery tq;
  tq.cell_id = options_.cell_id;
  auto tasks = co_await bbs_.tasks(tq);
  if (!tasks) {
    log_.error("reconcile-list-tasks-failed", tasks.error().message);
    co_return;
  }
  std::vector<LocalInstance> local;
  for (const auto& [guid, inst] : instances_) {
    local.push_back({guid, inst->key, inst->claimed, inst->claimed_at_ns});
  }
  std::vector<LocalTask> local_tasks;
  for (const auto& [guid, task] : tasks_) {
    local_tasks.push_back({guid, task->started, task->started_at_ns});
  }
  for (const auto& op : reconcile(options_.cell_id, *lrps, *tasks, local, local_tasks, snapshot)) {
    auto data = log::Data{{"guid", op.guid}};
    switch (op.kind) {
      case ReconcileOp::Kind::StopInstance:
        log_.info("reconcile-stopping-instance", data);
        if (auto it = instances_.find(op.guid); it != instances_.end()) {
          stop_instance(*it->second, StopMode::Silent);
        }
        break;
      case ReconcileOp::Kind::CrashLrp: {
        log_.info("reconcile-crashing-missing-instance", data);
        auto st = co_await bbs_.crash_actual_lrp(op.key, op.instance_key, op.reason);
        if (!st) log_.error("reconcile-crash-failed", st.error().message, data);
        break;
      }
      case ReconcileOp::Kind::StopTask:
        log_.info("reconcile-stopping-task", data);
        if (auto it = tasks_.find(op.guid); it != tasks_.end()) {
          it->second->cancelled = true;
          stop_task(*it->second);
        }
        break;
      case ReconcileOp::Kind::FailTask: {
        log_.info("reconcile-failing-missing-task", data);
        auto st = co_await bbs_.complete_task(op.guid, options_.cell_id, true, op.reason, "");
        if (!st) log_.error("reconcile-fail-task-failed", st.error().message, data);
        break;
      }
    }
  }
}

asio::awaitable<void> Cell::sample_metrics() {
  struct Sampled {
    std::shared_ptr<garden::Container> container;
    std::string metrics_guid;
    std::int32_t index = 0;
  };
  std::vector<Sampled> containers;
  for (const auto& [guid, inst] : instances_) {
    if (inst->container)
      containers.push_back({inst->container, inst->metrics_guid, inst->work.index});
  }
  for (const auto& [guid, task] : tasks_) {
    if (task->container) containers.push_back({task->container, "", 0});
  }
  auto now = std::chrono::steady_clock::now();
  std::map<std::string, garden::Metrics> sampled;
  for (const auto& s : containers) {
    auto read = [c = s.container] { return c->metrics(); };
    auto m = co_await executor::run_blocking(pool_, std::move(read));
    if (!m) continue;
    const std::string& handle = s.container->handle();
    sampled[handle] = *m;
    if (options_.on_metrics && !s.metrics_guid.empty()) {
      auto before = metrics_.find(handle);
      options_.on_metrics(s.metrics_guid, s.index, *m,
                          before == metrics_.end() ? nullptr : &before->second,
                          now - metrics_sampled_at_);
    }
  }
  // Containers gone since the last sample are forgotten.
  metrics_ = std::move(sampled);
  metrics_sampled_at_ = now;
}

asio::awaitable<void> Cell::shutdown() {
  evacuating_ = true;
  for (auto& [guid, inst] : instances_) stop_instance(*inst, StopMode::Silent);
  for (auto& [guid, task] : tasks_) {
    task->silent = true;
    stop_task(*task);
  }
  auto deadline = std::chrono::steady_clock::now() + options_.stop_grace + std::chrono::seconds(5);
  while ((!instances_.empty() || !tasks_.empty()) && std::chrono::steady_clock::now() < deadline) {
    co_await idle_.wait_until(deadline);
  }
}

}  // namespace cupola::rep
