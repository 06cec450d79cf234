// LrpController: the lifecycle calls reps and the auctioneer make on actual LRPs.

#include <unordered_set>

#include "bbs/api/models/errors.h"
#include "bbs/src/controllers/invalid.h"
#include "bbs/src/controllers/lrp_controller.h"

namespace cupola::bbs {
namespace asio = boost::asio;

asio::awaitable<Status> LrpController::claim(std::string process_guid, std::int32_t index,
                                             ActualLrpInstanceKey ik) {
  std::vector<std::string> problems;
  if (process_guid.empty()) problems.push_back("Invalid field: process_guid");
  if (!ik.complete()) problems.push_back("Invalid field: actual_lrp_instance_key");
  if (!problems.empty()) co_return invalid_request(problems);
  const auto t = now();
  auto c = co_await d_.actual.mutate(process_guid, index, [&](const std::vector<ActualLrp>& rows) {
    return decide_claim(rows, ik, t);
  });
  if (!c) co_return std::move(c).error();
  publish(*c);
  co_return Status{};
}

asio::awaitable<Status> LrpController::start(StartRequest req) {
  std::vector<std::string> problems;
  if (req.key.process_guid.empty()) problems.push_back("Invalid field: process_guid");
  if (req.key.domain.empty()) problems.push_back("Invalid field: domain");
  if (!req.instance_key.complete()) problems.push_back("Invalid field: actual_lrp_instance_key");
  if (req.net_info.address.empty()) problems.push_back("Invalid field: address");
  if (!problems.empty()) co_return invalid_request(problems);
  const auto t = now();
  const std::string epoch = d_.guids.next();
  auto c = co_await d_.actual.mutate(
      req.key.process_guid, req.key.index,
      [&](const std::vector<ActualLrp>& rows) { return decide_start(rows, req, t, epoch); });
  if (!c) co_return std::move(c).error();
  publish(*c);
  co_return Status{};
}

asio::awaitable<Status> LrpController::crash(ActualLrpKey key, ActualLrpInstanceKey ik,
                                             std::string error_message) {
  if (!ik.complete()) {
    co_return invalid_request({"Invalid field: actual_lrp_instance_key"});
  }
  const auto t = now();
  CrashDecision decision;
  auto c = co_await d_.actual.mutate(
      key.process_guid, key.index,
      [&](const std::vector<ActualLrp>& rows) -> Result<ActualLrpChanges> {
        auto d = decide_crash(rows, key, ik, error_message, t);
        if (!d) return std::move(d).error();
        decision = std::move(*d);
        return decision.changes;
      });
  if (!c) co_return std::move(c).error();
  if (decision.crashed) {
    d_.events.publish(actual_lrp_crashed(decision.crashed->first, decision.crashed->second));
    d_.log.info("crashed", {{"process_guid", key.process_guid},
                            {"index", key.index},
                            {"crash_count", decision.crashed->second.crash_count}});
  }
  publish(*c);
  if (decision.auction) {
    auto desired = co_await d_.desired.get(key.process_guid);
    if (desired) {
      d_.auctioneer.request_lrp_auctions(start_requests(*desired, key.index, key.index + 1));
    }
  }
  co_return Status{};
}

asio::awaitable<Status> LrpController::fail(ActualLrpKey key, std::string error_message) {
  if (error_message.empty()) co_return invalid_request({"Invalid field: error_message"});
  const auto t = now();
  auto c = co_await d_.actual.mutate(
      key.process_guid, key.index,
      [&](const std::vector<ActualLrp>& rows) { return decide_fail(rows, error_message, t); });
  if (!c) {
    // The instance went away meanwhile: nothing left to fail.
    if (error_type_of(c.error()) == ErrorType::ResourceNotFound) co_return Status{};
    co_return std::move(c).error();
  }
  publish(*c);
  co_return Status{};
}

asio::awaitable<Status> LrpController::remove_actual(std::string process_guid, std::int32_t index,
                                                     std::optional<ActualLrpInstanceKey> ik) {
  auto c = co_await d_.actual.mutate(process_guid, index, [&](const std::vector<ActualLrp>& rows) {
    return decide_remove(rows, ik);
  });
  if (!c) co_return std::move(c).error();
  publish(*c);
  co_return Status{};
}

asio::awaitable<Status> LrpController::retire(ActualLrpKey key) {
  auto cells = co_await d_.cells.list(now());
  if (!cells) co_return std::move(cells).error();
  std::unordered_set<std::string> live;
  for (const auto& cell : *cells) live.insert(cell.cell_id);
  std::optional<ActualLrp> stop;
  auto c = co_await d_.actual.mutate(
      key.process_guid, key.index,
      [&](const std::vector<ActualLrp>& rows) -> Result<ActualLrpChanges> {
        const ActualLrp* ord = find_presence(rows, Presence::Ordinary);
        bool alive = ord && live.contains(ord->instance_key.cell_id);
        auto d = decide_retire(rows, alive);
        if (!d) return std::move(d).error();
        stop = d->stop;
        return d->changes;
      });
  if (!c) co_return std::move(c).error();
  publish(*c);
  if (stop) d_.reps.stop_lrp_instance(*stop);
  co_return Status{};
}

}  // namespace cupola::bbs
