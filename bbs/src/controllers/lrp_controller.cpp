#include "bbs/src/controllers/lrp_controller.h"

#include "bbs/api/models/errors.h"
#include "bbs/src/controllers/invalid.h"

namespace cupola::bbs {
namespace asio = boost::asio;

std::int64_t LrpController::now() const { return unix_nanos(d_.clock.now()); }

void LrpController::publish(const ActualLrpChanges& c) {
  for (const auto& a : c.created) d_.events.publish(actual_lrp_created(a));
  for (const auto& [before, after] : c.changed)
    d_.events.publish(actual_lrp_changed(before, after));
  for (const auto& r : c.removed) d_.events.publish(actual_lrp_removed(r));
}

std::vector<LrpStartRequest> LrpController::start_requests(const DesiredLrp& lrp, std::int32_t from,
                                                           std::int32_t to) const {
  std::vector<LrpStartRequest> out;
  for (std::int32_t i = from; i < to; ++i) {
    out.push_back({lrp.process_guid, lrp.domain, i, lrp.memory_mb, lrp.disk_mb, lrp.max_pids,
                   lrp.root_fs, lrp.placement_tags});
  }
  return out;
}

asio::awaitable<Status> LrpController::desire(DesiredLrp lrp) {
  if (auto p = validate(lrp); !p.empty()) co_return invalid_request(p);
  const auto t = now();
  lrp.modification_tag = {d_.guids.next(), 0};
  std::vector<ActualLrp> actuals;
  for (std::int32_t i = 0; i < lrp.instances; ++i) {
    ActualLrp a;
    a.key = {lrp.process_guid, i, lrp.domain};
    a.since = t;
    a.modification_tag = {d_.guids.next(), 0};
    actuals.push_back(std::move(a));
  }
  if (auto s = co_await d_.desired.desire(lrp, actuals); !s) co_return s;
  d_.log.info("desired", {{"process_guid", lrp.process_guid}, {"instances", lrp.instances}});
  d_.events.publish(desired_lrp_created(lrp));
  publish(ActualLrpChanges{actuals, {}, {}});
  d_.auctioneer.request_lrp_auctions(start_requests(lrp, 0, lrp.instances));
  co_return Status{};
}

asio::awaitable<Status> LrpController::update(std::string process_guid, DesiredLrpUpdate update) {
  if (auto p = validate(update); !p.empty()) co_return invalid_request(p);
  auto updated = co_await d_.desired.update(process_guid, [&](const DesiredLrp& cur) {
    DesiredLrp next = cur;
    if (update.instances) next.instances = *update.instances;
    if (update.routes) next.routes = *update.routes;
    if (update.annotation) next.annotation = *update.annotation;
    return Result<DesiredLrp>(std::move(next));
  });
  if (!updated) co_return std::move(updated).error();
  const auto& [before, after] = *updated;
  d_.events.publish(desired_lrp_changed(before, after));
  if (after.instances > before.instances) {
    const auto t = now();
    std::vector<LrpStartRequest> starts;
    for (std::int32_t i = before.instances; i < after.instances; ++i) {
      std::string epoch = d_.guids.next();
      auto created = co_await d_.actual.mutate(
          process_guid, i, [&](const std::vector<ActualLrp>& rows) -> Result<ActualLrpChanges> {
            ActualLrpChanges c;
            if (find_presence(rows, Presence::Ordinary)) return c;
            ActualLrp a;
            a.key = {after.process_guid, i, after.domain};
            a.since = t;
            a.modification_tag = {epoch, 0};
            c.created.push_back(std::move(a));
            return c;
          });
      if (!created) {
        // What was created before stays wanted: auction it before reporting the error.
        d_.auctioneer.request_lrp_auctions(std::move(starts));
        co_return std::move(created).error();
      }
      publish(*created);
      if (!created->created.empty()) {
        auto req = start_requests(after, i, i + 1);
        starts.push_back(std::move(req.front()));
      }
    }
    d_.auctioneer.request_lrp_auctions(std::move(starts));
  } else if (after.instances < before.instances) {
    ActualLrpFilter filter;
    filter.process_guid = process_guid;
    auto rows = co_await d_.actual.list(std::move(filter));
    if (!rows) co_return std::move(rows).error();
    co_await stop_indices(*rows, after.instances);
  }
  co_return Status{};
}

asio::awaitable<Status> LrpController::remove(std::string process_guid) {
  auto removed = co_await d_.desired.remove(process_guid);
  if (!removed) co_return std::move(removed).error();
  d_.events.publish(desired_lrp_removed(*removed));
  ActualLrpFilter filter;
  filter.process_guid = process_guid;
  auto rows = co_await d_.actual.list(std::move(filter));
  if (!rows) co_return std::move(rows).error();
  co_await stop_indices(*rows, 0);
  co_return Status{};
}

asio::awaitable<void> LrpController::stop_indices(const std::vector<ActualLrp>& rows,
                                                  std::int32_t from) {
  for (const auto& row : rows) {
    if (row.presence != Presence::Ordinary || row.key.index < from) continue;
    if (row.state == ActualLrpState::Claimed || row.state == ActualLrpState::Running) {
      d_.reps.stop_lrp_instance(row);
      continue;
    }
    // Only the row as it was listed: one claimed meanwhile is its rep's to stop.
    std::optional<ActualLrp> claimed_meanwhile;
    auto removed = co_await d_.actual.mutate(
        row.key.process_guid, row.key.index,
        [&](const std::vector<ActualLrp>& rs) -> Result<ActualLrpChanges> {
          const ActualLrp* ord = find_presence(rs, Presence::Ordinary);
          if (!ord) return ActualLrpChanges{};
          if (!(ord->modification_tag == row.modification_tag)) {
            if (ord->state == ActualLrpState::Claimed || ord->state == ActualLrpState::Running) {
              claimed_meanwhile = *ord;
            }
            return ActualLrpChanges{};
          }
          return decide_remove(rs, std::nullopt);
        });
    if (claimed_meanwhile) d_.reps.stop_lrp_instance(*claimed_meanwhile);
    if (removed) {
      publish(*removed);
    } else {
      d_.log.error("remove-instance-failed", removed.error().message,
                   {{"process_guid", row.key.process_guid}, {"index", row.key.index}});
    }
  }
}

asio::awaitable<Result<std::vector<DesiredLrp>>> LrpController::list_desired(
    DesiredLrpFilter filter) {
  co_return co_await d_.desired.list(std::move(filter));
}

asio::awaitable<Result<DesiredLrp>> LrpController::get_desired(std::string process_guid) {
  co_return co_await d_.desired.get(std::move(process_guid));
}

asio::awaitable<Result<std::vector<ActualLrp>>> LrpController::list_actual(ActualLrpFilter filter) {
  co_return co_await d_.actual.list(std::move(filter));
}

}  // namespace cupola::bbs
