#pragma once

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

 private:
  std::int64_t now() const;
  // Publishes the events of a write to actual rows.
  void publish(const ActualLrpChanges& changes);
  // Stops instances at index >= `from` (an update lowered instances, or a remove).
  boost::asio::awaitable<void> stop_indices(const std::vector<ActualLrp>& rows, std::int32_t from);
  std::vector<LrpStartRequest> start_requests(const DesiredLrp& lrp, std::int32_t from,
                                              std::int32_t to) const;

  LrpControllerDeps d_;
};

}  // namespace cupola::bbs
