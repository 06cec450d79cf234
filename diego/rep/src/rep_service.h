#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "common/nats/client.h"
#include "common/service/service.h"
#include "common/service/wakeup.h"
#include "diego/rep/src/cell.h"

namespace cupola::rep {

struct RepServiceOptions {
  std::chrono::milliseconds presence_ttl{15'000};
  std::chrono::milliseconds heartbeat_interval{5'000};
  std::chrono::milliseconds reconcile_interval{30'000};
  std::chrono::milliseconds metrics_interval{15'000};
  std::chrono::milliseconds evacuation_timeout{600'000};
};

// The rep's life: at start it destroys leftover containers, answers the auction's
// subjects on NATS (diego.rep.<cell>.state, .perform, .stop_lrp, .cancel_task) and
// heartbeats the cell's presence; then it reconciles with the BBS and samples metrics on
// their intervals. stop() (SIGTERM) evacuates the cell before run() returns.
class RepService final : public Service {
 public:
  RepService(boost::asio::any_io_executor ex, Cell& cell, bbs::BbsClient& bbs, nats::Client& nats,
             RepServiceOptions options, log::Logger log);

  // Service:
  std::string name() const override { return "rep"; }
  boost::asio::awaitable<void> start() override;
  boost::asio::awaitable<void> run() override;
  void stop() override;

 private:
  boost::asio::awaitable<void> heartbeat();
  void on_state(const nats::Message& m);
  void on_perform(const nats::Message& m);
  void on_stop_lrp(const nats::Message& m);
  void on_cancel_task(const nats::Message& m);

  boost::asio::any_io_executor ex_;
  Cell& cell_;
  bbs::BbsClient& bbs_;
  nats::Client& nats_;
  RepServiceOptions options_;
  log::Logger log_;
  std::vector<nats::Subscription> subscriptions_;
  Wakeup wake_;
  bool stopping_ = false;
  bool heartbeat_failing_ = false;
};

}  // namespace cupola::rep
