#pragma once

#include <chrono>
#include <deque>
#include <optional>

#include <boost/asio/any_io_executor.hpp>

#include "bbs/api/client/bbs_client.h"
#include "common/http/client/cancel_token.h"
#include "common/log/log.h"
#include "common/nats/client.h"
#include "common/service/service.h"
#include "common/service/wakeup.h"
#include "diego/route_emitter/src/routing_table.h"

namespace cupola::route_emitter {

struct EmitterOptions {
  // Re-sends every registration this often; a router's router.start or greeting answer
  // replaces it with its minimumRegisterIntervalInSeconds.
  std::chrono::milliseconds register_interval{20'000};
  std::chrono::milliseconds sync_interval{60'000};  // full sync with the BBS's lists
  std::chrono::milliseconds greet_timeout{1'000};   // for a router to answer router.greet
  std::chrono::milliseconds retry_interval{1'000};  // after the event stream broke
};

// Keeps the routers' tables equal to the BBS: follows the BBS's event stream, syncs fully
// on (re)subscription and every sync_interval, and publishes router.register and
// router.unregister on NATS as the routing table says. Everything on one executor.
class Emitter final : public Service {
 public:
  Emitter(boost::asio::any_io_executor ex, bbs::BbsClient& bbs, nats::Client& nats,
          EmitterOptions options, log::Logger log);

  // Service:
  std::string name() const override { return "route-emitter"; }
  boost::asio::awaitable<void> start() override;
  boost::asio::awaitable<void> run() override;
  void stop() override;

  const RoutingTable& table() const { return table_; }
  std::chrono::milliseconds register_interval() const { return options_.register_interval; }
  std::uint64_t messages_sent() const { return sent_; }

 private:
  boost::asio::awaitable<void> follow_events();
  boost::asio::awaitable<void> full_sync();
  void on_event(const bbs::Event& event);
  void apply(const bbs::Event& event);
  void emit(const Messages& messages);
  void emit_all();
  void on_router_greeting(const nats::Message& m);

  boost::asio::any_io_executor ex_;
  bbs::BbsClient& bbs_;
  nats::Client& nats_;
  EmitterOptions options_;
  log::Logger log_;
  RoutingTable table_;
  nats::Subscription router_start_;
  std::optional<std::deque<bbs::Event>> buffered_;  // events that came during a sync
  http::CancelToken cancel_;
  Wakeup wake_;
  bool stopping_ = false;
  bool resync_ = false;
  bool events_done_ = true;
  std::uint64_t sent_ = 0;
};

}  // namespace cupola::route_emitter
