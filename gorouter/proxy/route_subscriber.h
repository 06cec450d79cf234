#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "common/core/clock.h"
#include "common/log/log.h"
#include "common/nats/client.h"
#include "common/service/service.h"
#include "common/service/wakeup.h"
#include "gorouter/route/registry.h"
#include "gorouter/route/table_slot.h"

namespace cupola::router {

struct RouteSubscriberOptions {
  std::string router_id;
  std::vector<std::string> hosts;              // this router's addresses, in router.start
  std::chrono::seconds register_interval{20};  // what emitters are told
  std::chrono::milliseconds prune_interval{30'000};
  std::chrono::milliseconds publish_interval{10};  // most time a change waits to be served
};

// Keeps the route table from NATS, as gorouter: applies router.register and
// router.unregister to the registry, publishes a new snapshot at most every
// publish_interval while changes are pending, prunes stale routes (not while NATS is
// unreachable), answers router.greet and publishes router.start at start and on every
// reconnect. Runs on the NATS client's executor.
class RouteSubscriber final : public Service {
 public:
  RouteSubscriber(boost::asio::any_io_executor ex, nats::Client& nats, Registry& registry,
                  TableSlot& slot, RouteSubscriberOptions options, const Clock& clock,
                  log::Logger log);

  // Service:
  std::string name() const override { return "route-subscriber"; }
  boost::asio::awaitable<void> start() override;
  boost::asio::awaitable<void> run() override;
  void stop() override;

  std::uint64_t messages() const { return messages_; }
  std::uint64_t rejected() const { return rejected_; }

 private:
  void on_message(MessageKind kind, const nats::Message& m);
  void announce();
  std::string greeting() const;

  boost::asio::any_io_executor ex_;
  nats::Client& nats_;
  Registry& registry_;
  TableSlot& slot_;
  RouteSubscriberOptions options_;
  const Clock& clock_;
  log::Logger log_;
  std::vector<nats::Subscription> subscriptions_;
  Wakeup wake_;
  bool stopping_ = false;
  bool nats_ok_ = true;
  std::uint64_t messages_ = 0;
  std::uint64_t rejected_ = 0;
};

}  // namespace cupola::router
