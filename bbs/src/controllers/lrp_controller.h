#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bbs/src/controllers/outbound.h"
#include "bbs/src/db/actual_lrp_db.h"
#include "bbs/src/db/cell_db.h"
#include "bbs/src/db/desired_lrp_db.h"
#include "bbs/src/events/event_hub.h"
#include "bbs/src/lifecycle/actual_lrp_lifecycle.h"
#include "bbs/src/lifecycle/evacuation.h"
#include "common/core/clock.h"
#include "common/core/guid.h"
#include "common/log/log.h"

namespace cupola::bbs {

struct LrpControllerDeps {
  DesiredLrpDb& desired;
  ActualLrpDb& actual;
  CellDb& cells;
  EventHub& events;
  AuctioneerClient& auctioneer;
  RepClient& reps;
  const Clock& clock;
  GuidGenerator& guids;
  log::Logger log;
};

// The rules of desired and actual LRPs: validates, writes through the stores, publishes the
// events of what was written, and asks for auctions and stops. Runs on the BBS's executor.
class LrpController {
 public:
  explicit LrpController(LrpControllerDeps deps) : d_(std::move(deps)) {}

  boost::asio::awaitable<Status> desire(DesiredLrp lrp);
  boost::asio::awaitable<Status> update(std::string process_guid, DesiredLrpUpdate update);
  boost::asio::awaitable<Status> remove(std::string process_guid);
  boost::asio::awaitable<Result<std::vector<DesiredLrp>>> list_desired(DesiredLrpFilter filter);
  boost::asio::awaitable<Result<DesiredLrp>> get_desired(std::string process_guid);

  boost::asio::awaitable<Result<std::vector<ActualLrp>>> list_actual(ActualLrpFilter filter);
  boost::asio::awaitable<Status> claim(std::string process_guid, std::int32_t index,
                                       ActualLrpInstanceKey instance_key);
  boost::asio::awaitable<Status> start(StartRequest request);
  boost::asio::awaitable<Status> crash(ActualLrpKey key, ActualLrpInstanceKey instance_key,
                                       std::string error_message);
  boost::asio::awaitable<Status> fail(ActualLrpKey key, std::string error_message);
  boost::asio::awaitable<Status> remove_actual(std::string process_guid, std::int32_t index,
                                               std::optional<ActualLrpInstanceKey> instance_key);
  boost::asio::awaitable<Status> retire(ActualLrpKey key);

  // The calls of a draining rep (evacuation.h has their rules). Each answers whether the rep
  // keeps its container; InvalidRequest names the missing fields.
  boost::asio::awaitable<Result<bool>> evacuate_claimed(ActualLrpKey key,
                                                        ActualLrpInstanceKey instance_key);
  boost::asio::awaitable<Result<bool>> evacuate_running(EvacuateRunningRequest request);
  boost::asio::awaitable<Result<bool>> evacuate_stopped(ActualLrpKey key,
                                                        ActualLrpInstanceKey instance_key);
  boost::asio::awaitable<Result<bool>> evacuate_crashed(ActualLrpKey key,
                                                        ActualLrpInstanceKey instance_key,
                                                        std::string error_message);
  // ResourceNotFound without an EVACUATING row; ActualLRPCannotBeRemoved when it is
  // another instance's.
  boost::asio::awaitable<Status> remove_evacuating(ActualLrpKey key,
                                                   ActualLrpInstanceKey instance_key);

 private:
  std::int64_t now() const;
  // Publishes the events of a write to actual rows.
  void publish(const ActualLrpChanges& changes);
  // Stops instances at index >= `from` (an update lowered instances, or a remove).
  boost::asio::awaitable<void> stop_indices(const std::vector<ActualLrp>& rows, std::int32_t from);
  // Runs an evacuation decision on the rows of `key`, publishes what it wrote, logs `call`
  // and asks for the auction the decision wants.
  boost::asio::awaitable<Result<EvacuationDecision>> evacuate(
      std::string call, ActualLrpKey key,
      std::function<Result<EvacuationDecision>(const std::vector<ActualLrp>&)> decide);
  std::vector<LrpStartRequest> start_requests(const DesiredLrp& lrp, std::int32_t from,
                                              std::int32_t to) const;

  LrpControllerDeps d_;
};

}  // namespace cupola::bbs
