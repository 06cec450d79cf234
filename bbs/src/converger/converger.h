#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bbs/src/controllers/lrp_controller.h"
#include "bbs/src/controllers/task_controller.h"
#include "bbs/src/db/actual_lrp_db.h"
#include "bbs/src/db/cell_db.h"
#include "bbs/src/db/desired_lrp_db.h"
#include "bbs/src/db/task_db.h"
#include "common/service/service.h"

namespace cupola::bbs {

struct ConvergerOptions {
  std::chrono::milliseconds interval{30'000};
  // How often expired cell presences are looked for; one found converges at once.
  std::chrono::milliseconds cell_check_interval{1'000};
};

struct ConvergerDeps {
  DesiredLrpDb& desired;
  ActualLrpDb& actual;
  TaskDb& tasks;
  CellDb& cells;
  DomainDb& domains;
  EventHub& events;
  AuctioneerClient& auctioneer;
  TaskCompletionSink& completions;
  LrpController& lrps;  // retirements go through its rules
  const Clock& clock;
  GuidGenerator& guids;
  log::Logger log;
  // True while this process may converge (holds the leader lock). Several BBS processes
  // share one database; only one converges.
  std::function<boost::asio::awaitable<bool>()> is_leader;
};

// Health management: every interval (and when a cell's presence expires) reads desired and
// actual state, asks the pure converge_lrps/converge_tasks what to do, and does it — each
// write compare-and-set, so a row changed meanwhile is left to the next pass.
class Converger final : public Service {
 public:
  Converger(boost::asio::any_io_executor ex, ConvergerOptions options, ConvergerDeps deps);

  std::string name() const override { return "converger"; }
  boost::asio::awaitable<void> run() override;
  void stop() override;

  // One pass now, leader or not (tests; run() checks leadership first).
  boost::asio::awaitable<Status> converge_once();
  std::uint64_t passes() const { return passes_; }

 private:
  std::int64_t now() const;
  boost::asio::awaitable<Status> converge_lrps_once(std::int64_t now);
  boost::asio::awaitable<Status> converge_tasks_once(std::int64_t now);

  ConvergerOptions options_;
  ConvergerDeps d_;
  boost::asio::steady_timer timer_;
  bool stopping_ = false;
  std::uint64_t passes_ = 0;
};

}  // namespace cupola::bbs
