// One task on this cell: started once in the BBS, run in its own container, completed
// with its result.
#include <unistd.h>

#include "common/core/guid.h"
#include "diego/garden/fs_util.h"
#include "diego/rep/src/cell.h"
#include "diego/rep/src/cell_records.h"

namespace cupola::rep {
namespace asio = boost::asio;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::size_t kMaxResultBytes = 10 * 1024;  // Diego's limit on a task's result

}  // namespace

asio::awaitable<void> Cell::run_task(std::shared_ptr<TaskRun> task) {
  auto log = log_.session("task", {{"task_guid", task->guid}});
  auto started = co_await bbs_.start_task(task->guid, options_.cell_id);
  if (!started || !*started) {
    log.error("start-failed", started ? "already running here" : started.error().message);
    co_await finish_task(task);
    co_return;
  }
  task->started = true;
  task->started_at_ns = now_ns();
  task->phase = Phase::Claimed;

  bool failed = true;
  std::string reason, result;
  auto fetched = co_await bbs_.task_by_guid(task->guid);
  if (!fetched) {
    reason = "failed to read the task: " + fetched.error().message;
  } else {
    const auto& def = fetched->definition;
    garden::ContainerSpec spec;
    spec.handle = task->guid;
    spec.limits.memory_bytes = static_cast<std::uint64_t>(def.memory_mb) * kMiB;
    spec.limits.disk_bytes = static_cast<std::uint64_t>(def.disk_mb) * kMiB;
    spec.limits.max_pids = static_cast<std::uint64_t>(std::max(0, def.max_pids));
    for (const auto& e : def.env) spec.env.emplace_back(e.name, e.value);
    if (!options_.lifecycle_dir.empty()) {
      spec.bind_mounts.push_back({options_.lifecycle_dir, "/tmp/lifecycle", true});
    }
    spec.properties = {{"owner", options_.cell_id}, {"kind", "task"}, {"task_guid", task->guid}};
    task->phase = Phase::Creating;
    auto create = [this, spec] { return garden_.create(spec); };
    auto created = co_await executor::run_blocking(pool_, std::move(create));
    if (!created) {
      reason = "failed to create container: " + created.error().message;
    } else if (!task->cancelled && !task->silent) {
      task->container = *created;
      task->phase = Phase::Running;
      auto source = def.log_source.empty() ? std::string("TASK") : def.log_source;
      auto out = steps_.log_streamer(
          task->guid, {source, 0, def.log_guid, def.log_rate_limit_bytes_per_second});
      auto step = steps_.action(def.action, task->container, out);
      if (!step) {
        reason = step.error().message;
      } else {
        task->active = step->get();
        Status st = co_await (*step)->perform();
        task->active = nullptr;
        out->flush();
        if (!st) {
          reason = st.error().message;
        } else {
          failed = false;
          if (!def.result_file.empty()) {
            auto c = task->container;
            std::string host_file = options_.scratch_dir + "/task-result-" + task->guid;
            auto copy = [c, file = def.result_file, host_file] {
              return c->copy_out(file, host_file);
            };
            auto copied = co_await executor::run_blocking(pool_, std::move(copy));
            if (!copied) {
              failed = true;
              reason = "failed to read the result file: " + copied.error().message;
            } else {
              auto content = garden::read_file(host_file, kMaxResultBytes + 1);
              ::unlink(host_file.c_str());
              if (content && content->size() > kMaxResultBytes) {
                failed = true;
                reason = "result file size exceeds allowed limit (10 KB)";
              } else if (content) {
                result = *content;
              }
            }
          }
        }
      }
    }
  }
  if (!task->cancelled && !task->silent) {
    auto st = co_await bbs_.complete_task(task->guid, options_.cell_id, failed, reason, result);
    if (!st) log.error("complete-failed", st.error().message);
    log.info("completed", {{"failed", failed}, {"reason", reason}});
  }
  co_await finish_task(task);
}

asio::awaitable<void> Cell::finish_task(std::shared_ptr<TaskRun> task) {
  task->phase = Phase::Stopping;
  if (task->started) co_await destroy_container(task->guid);
  task->container.reset();
  ledger_.release(task->guid);
  tasks_.erase(task->guid);
  changed();
}

}  // namespace cupola::rep
