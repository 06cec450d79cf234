#include "bbs/src/converger/converger.h"

#include <unordered_map>
#include <unordered_set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bbs/src/convergence/lrp_convergence.h"
#include "bbs/src/convergence/task_convergence.h"

namespace cupola::bbs {
namespace asio = boost::asio;

Converger::Converger(asio::any_io_executor ex, ConvergerOptions options, ConvergerDeps deps)
    : options_(options), d_(std::move(deps)), timer_(std::move(ex)) {}

std::int64_t Converger::now() const { return unix_nanos(d_.clock.now()); }

asio::awaitable<void> Converger::run() {
  // The first pass comes one interval after the start, as on a ticker: a BBS that just
  // started has nothing stale to repair that the lifecycle calls do not.
  auto next_pass = std::chrono::steady_clock::now() + options_.interval;
  while (!stopping_) {
    bool due = std::chrono::steady_clock::now() >= next_pass;
    if (!due && co_await d_.is_leader()) {
      // A cell that stopped heartbeating makes the pass due now. Only the leader prunes, so
      // the one that converges is the one that sees the expiry.
      auto expired = co_await d_.cells.prune(now());
      if (expired && !expired->empty()) {
        d_.log.info("cells-expired", {{"cells", static_cast<std::int64_t>(expired->size())}});
        due = true;
      }
    }
    if (due) {
      next_pass = std::chrono::steady_clock::now() + options_.interval;
      if (co_await d_.is_leader()) {
        if (auto s = co_await converge_once(); !s) {
          d_.log.error("converge-failed", s.error().message);
        }
      }
    }
    timer_.expires_after(options_.cell_check_interval);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void Converger::stop() {
  stopping_ = true;
  timer_.cancel();
}

asio::awaitable<Status> Converger::converge_once() {
  const auto t = now();
  auto lrps = co_await converge_lrps_once(t);
  auto tasks = co_await converge_tasks_once(t);
  ++passes_;
  if (!lrps) co_return lrps;
  co_return tasks;
}

asio::awaitable<Status> Converger::converge_lrps_once(std::int64_t t) {
  DesiredLrpFilter everything;
  everything.scheduling_only = true;
  auto desired = co_await d_.desired.list(std::move(everything));
  if (!desired) co_return std::move(desired).error();
  auto actual = co_await d_.actual.list(ActualLrpFilter{});
  if (!actual) co_return std::move(actual).error();
  auto cells = co_await d_.cells.list(t);
  if (!cells) co_return std::move(cells).error();
  auto domains = co_await d_.domains.fresh(t);
  if (!domains) co_return std::move(domains).error();

  LrpConvergenceInput in;
  in.desired = std::move(*desired);
  in.actual = std::move(*actual);
  for (const auto& c : *cells) in.live_cells.insert(c.cell_id);
  in.fresh_domains.insert(domains->begin(), domains->end());
  in.now = t;
  auto out = converge_lrps(in);

  auto apply = [&](const std::string& guid, std::int32_t index,
                   ActualLrpDecision decide) -> asio::awaitable<void> {
    auto c = co_await d_.actual.mutate(guid, index, std::move(decide));
    if (!c) {
      d_.log.error("converge-write-failed", c.error().message,
                   {{"process_guid", guid}, {"index", index}});
      co_return;
    }
    for (const auto& a : c->created) d_.events.publish(actual_lrp_created(a));
    for (const auto& [b, a] : c->changed) d_.events.publish(actual_lrp_changed(b, a));
    for (const auto& r : c->removed) d_.events.publish(actual_lrp_removed(r));
  };
  auto same_row = [](const ActualLrp& a, const ActualLrp& b) {
    return a.presence == b.presence && a.modification_tag == b.modification_tag;
  };

  for (const auto& del : out.deletions) {
    co_await apply(del.row.key.process_guid, del.row.key.index,
                   [&](const std::vector<ActualLrp>& rows) -> Result<ActualLrpChanges> {
                     ActualLrpChanges c;
                     for (const auto& r : rows) {
                       if (same_row(r, del.row)) c.removed.push_back(r);
                     }
                     return c;
                   });
  }
  for (const auto& ch : out.changes) {
    co_await apply(ch.before.key.process_guid, ch.before.key.index,
                   [&](const std::vector<ActualLrp>& rows) -> Result<ActualLrpChanges> {
                     ActualLrpChanges c;
                     for (const auto& r : rows) {
                       if (same_row(r, ch.before)) c.changed.emplace_back(r, ch.after);
                     }
                     return c;
                   });
  }
  // The desired state may have changed since it was read: create only what is still wanted.
  std::unordered_map<std::string, std::int32_t> wanted;
  if (!out.creations.empty()) {
    DesiredLrpFilter filter;
    filter.scheduling_only = true;
    for (const auto& c : out.creations) filter.process_guids.push_back(c.key.process_guid);
    auto now_desired = co_await d_.desired.list(std::move(filter));
    if (!now_desired) co_return std::move(now_desired).error();
    for (const auto& d : *now_desired) wanted[d.process_guid] = d.instances;
  }
  for (auto created : out.creations) {
    auto it = wanted.find(created.key.process_guid);
    if (it == wanted.end() || created.key.index >= it->second) continue;
    created.modification_tag = {d_.guids.next(), 0};
    co_await apply(created.key.process_guid, created.key.index,
                   [&](const std::vector<ActualLrp>& rows) -> Result<ActualLrpChanges> {
                     ActualLrpChanges c;
                     if (!find_presence(rows, Presence::Ordinary)) c.created.push_back(created);
                     return c;
                   });
  }
  for (const auto& retirement : out.retirements) {
    if (auto s = co_await d_.lrps.retire(retirement.key); !s) {
      d_.log.error(
          "retire-failed", s.error().message,
          {{"process_guid", retirement.key.process_guid}, {"index", retirement.key.index}});
    }
  }
  if (!out.start_requests.empty()) d_.auctioneer.request_lrp_auctions(out.start_requests);
  const auto& n = out.counters;
  d_.log.info("lrps-converged",
              {{"desired_instances", n.desired_instances},
               {"running", n.running},
               {"missing", n.missing_instances},
               {"extra", n.extra_instances},
               {"crashed", n.crashed},
               {"auctions", static_cast<std::int64_t>(out.start_requests.size())},
               {"missing_cells", static_cast<std::int64_t>(out.missing_cells.size())}});
  co_return Status{};
}

asio::awaitable<Status> Converger::converge_tasks_once(std::int64_t t) {
  auto tasks = co_await d_.tasks.list(TaskFilter{});
  if (!tasks) co_return std::move(tasks).error();
  auto cells = co_await d_.cells.list(t);
  if (!cells) co_return std::move(cells).error();
  TaskConvergenceInput in;
  in.tasks = std::move(*tasks);
  for (const auto& c : *cells) in.live_cells.insert(c.cell_id);
  in.now = t;
  auto out = converge_tasks(in);

  // Writes `after` if the task is still as `before` was; the store bumps the tag. A task
  // failed here gets its completion callback like any other.
  auto write = [&](const Task& before, std::optional<Task> after,
                   bool callback) -> asio::awaitable<void> {
    auto change =
        co_await d_.tasks.mutate(before.task_guid, [&](const Task& cur) -> Result<TaskWrite> {
          if (!(cur.modification_tag == before.modification_tag)) return TaskWrite{};
          if (!after) return TaskWrite{std::nullopt, true};
          Task next = *after;
          next.modification_tag = cur.modification_tag;
          return TaskWrite{std::move(next), false};
        });
    if (!change) {
      d_.log.error("converge-task-failed", change.error().message,
                   {{"task_guid", before.task_guid}});
      co_return;
    }
    if (change->removed) {
      d_.events.publish(task_removed(change->before));
    } else if (change->after) {
      d_.events.publish(task_changed(change->before, *change->after));
      if (callback && !change->after->definition.completion_callback_url.empty()) {
        d_.completions.task_completed(*change->after);
      }
    }
  };
  for (const auto& f : out.failures) co_await write(f.before, f.after, true);
  for (const auto& dm : out.demotions) co_await write(dm.before, dm.after, false);
  for (const auto& del : out.deletions) co_await write(del, std::nullopt, false);
  if (!out.start_requests.empty()) d_.auctioneer.request_task_auctions(out.start_requests);
  for (const auto& task : out.callbacks) d_.completions.task_completed(task);
  co_return Status{};
}

}  // namespace cupola::bbs
