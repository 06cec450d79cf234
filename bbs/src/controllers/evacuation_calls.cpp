// LrpController: the calls a draining rep makes for the instances on its cell.

#include "bbs/api/models/errors.h"
#include "bbs/src/controllers/invalid.h"
#include "bbs/src/controllers/lrp_controller.h"

namespace cupola::bbs {
namespace asio = boost::asio;
namespace {

std::vector<std::string> key_problems(const ActualLrpKey& key, const ActualLrpInstanceKey& ik) {
  std::vector<std::string> problems;
  if (key.process_guid.empty()) problems.push_back("Invalid field: process_guid");
  if (key.index < 0) problems.push_back("Invalid field: index");
  if (key.domain.empty()) problems.push_back("Invalid field: domain");
  if (!ik.complete()) problems.push_back("Invalid field: actual_lrp_instance_key");
  return problems;
}

}  // namespace

asio::awaitable<Result<EvacuationDecision>> LrpController::evacuate(
    std::string call, ActualLrpKey key,
    std::function<Result<EvacuationDecision>(const std::vector<ActualLrp>&)> decide) {
  EvacuationDecision decision;
  auto c = co_await d_.actual.mutate(
      key.process_guid, key.index,
      [&](const std::vector<ActualLrp>& rows) -> Result<ActualLrpChanges> {
        auto d = decide(rows);
        if (!d) return std::move(d).error();
        decision = std::move(*d);
        return decision.changes;
      });
  if (!c) co_return std::move(c).error();
  if (decision.crashed) {
    d_.events.publish(actual_lrp_crashed(decision.crashed->first, decision.crashed->second));
  }
  publish(*c);
  d_.log.info(call, {{"process_guid", key.process_guid},
                     {"index", key.index},
                     {"keep_container", decision.keep_container}});
  if (decision.auction) {
    auto desired = co_await d_.desired.get(key.process_guid);
    if (desired) {
      d_.auctioneer.request_lrp_auctions(start_requests(*desired, key.index, key.index + 1));
    } else if (error_type_of(desired.error()) != ErrorType::ResourceNotFound) {
      // Convergence auctions the UNCLAIMED instance later.
      d_.log.error("evacuation-auction-failed", desired.error().message,
                   {{"process_guid", key.process_guid}, {"index", key.index}});
    }
  }
  co_return decision;
}

asio::awaitable<Result<bool>> LrpController::evacuate_claimed(ActualLrpKey key,
                                                              ActualLrpInstanceKey ik) {
  if (auto p = key_problems(key, ik); !p.empty()) co_return invalid_request(p);
  const auto t = now();
  auto d = co_await evacuate("evacuated-claimed", key, [&](const std::vector<ActualLrp>& rows) {
    return decide_evacuate_claimed(rows, ik, t);
  });
  if (!d) co_return std::move(d).error();
  co_return d->keep_container;
}

asio::awaitable<Result<bool>> LrpController::evacuate_running(EvacuateRunningRequest req) {
  auto problems = key_problems(req.key, req.instance_key);
  if (req.net_info.address.empty()) problems.push_back("Invalid field: address");
  if (!problems.empty()) co_return invalid_request(problems);
  auto desired = co_await d_.desired.get(req.key.process_guid);
  if (!desired && error_type_of(desired.error()) != ErrorType::ResourceNotFound) {
    co_return std::move(desired).error();
  }
  const bool desired_exists = desired.ok();
  const auto t = now();
  const std::string epoch = d_.guids.next();
  auto d = co_await evacuate("evacuated-running", req.key, [&](const std::vector<ActualLrp>& rows) {
    return decide_evacuate_running(rows, req, desired_exists, t, epoch);
  });
  if (!d) co_return std::move(d).error();
  co_return d->keep_container;
}

asio::awaitable<Result<bool>> LrpController::evacuate_stopped(ActualLrpKey key,
                                                              ActualLrpInstanceKey ik) {
  if (auto p = key_problems(key, ik); !p.empty()) co_return invalid_request(p);
  auto d = co_await evacuate("evacuated-stopped", key, [&](const std::vector<ActualLrp>& rows) {
    return decide_evacuate_stopped(rows, ik);
  });
  if (!d) co_return std::move(d).error();
  co_return d->keep_container;
}

asio::awaitable<Result<bool>> LrpController::evacuate_crashed(ActualLrpKey key,
                                                              ActualLrpInstanceKey ik,
                                                              std::string error_message) {
  if (auto p = key_problems(key, ik); !p.empty()) co_return invalid_request(p);
  const auto t = now();
  auto d = co_await evacuate("evacuated-crashed", key, [&](const std::vector<ActualLrp>& rows) {
    return decide_evacuate_crashed(rows, key, ik, error_message, t);
  });
  if (!d) co_return std::move(d).error();
  co_return d->keep_container;
}

asio::awaitable<Status> LrpController::remove_evacuating(ActualLrpKey key,
                                                         ActualLrpInstanceKey ik) {
  if (auto p = key_problems(key, ik); !p.empty()) co_return invalid_request(p);
  auto c = co_await d_.actual.mutate(
      key.process_guid, key.index,
      [&](const std::vector<ActualLrp>& rows) { return decide_remove_evacuating(rows, ik); });
  if (!c) co_return std::move(c).error();
  publish(*c);
  co_return Status{};
}

}  // namespace cupola::bbs
