#include "gorouter/proxy/route_subscriber.h"

#include <stdexcept>

#include "gorouter/route/registry_message.h"

namespace cupola::router {
namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

RouteSubscriber::RouteSubscriber(asio::any_io_executor ex, nats::Client& nats, Registry& registry,
                                 TableSlot& slot, RouteSubscriberOptions options,
                                 const Clock& clock, log::Logger log)
    : ex_(ex),
      nats_(nats),
      registry_(registry),
      slot_(slot),
      options_(std::move(options)),
      clock_(clock),
      log_(std::move(log)),
      wake_(ex) {}

std::string RouteSubscriber::greeting() const {
  RouterStart start;
  start.id = options_.router_id;
  start.hosts = options_.hosts;
  start.minimum_register_interval_in_seconds = static_cast<int>(options_.register_interval.count());
  start.prune_threshold_in_seconds =
      static_cast<int>(registry_.options().droplet_stale_threshold.count());
  return encode_router_start(start);
}

void RouteSubscriber::announce() {
  if (auto st = nats_.publish("router.start", greeting()); !st) {
    log_.error("router-start-failed", st.error().message);
  }
}

asio::awaitable<void> RouteSubscriber::start() {
  auto sub = [&](const char* subject, std::function<void(nats::Message)> handler) {
    auto s = nats_.subscribe(subject, std::move(handler));
    if (!s) throw std::runtime_error(std::string("cannot subscribe to ") + subject);
    subscriptions_.push_back(std::move(s).value());
  };
  sub("router.register", [this](nats::Message m) { on_message(MessageKind::Register, m); });
  sub("router.unregister", [this](nats::Message m) { on_message(MessageKind::Unregister, m); });
  sub("router.greet", [this](nats::Message m) {
    if (!m.reply.empty()) (void)nats_.respond(m, greeting());
  });
  nats_.on_connection_event([this](nats::ConnectionEvent e) {
    if (e == nats::ConnectionEvent::Disconnected) {
      nats_ok_ = false;
      log_.info("nats-disconnected-pruning-suspended");
    } else if (e == nats::ConnectionEvent::Reconnected) {
      nats_ok_ = true;
      log_.info("nats-reconnected");
      announce();
    }
  });
  if (auto st = co_await nats_.flush(std::chrono::seconds(10)); !st) {
    throw std::runtime_error("nats did not confirm the subscriptions: " + st.error().message);
  }
  announce();
}

void RouteSubscriber::on_message(MessageKind kind, const nats::Message& m) {
  ++messages_;
  auto message = decode_registry_message(m.data);
  if (!message) {
    ++rejected_;
    log_.error("registry-message-invalid", message.error().message);
    return;
  }
  registry_.apply(kind, *message, clock_.now());
  if (registry_.pending()) wake_.notify();
}

asio::awaitable<void> RouteSubscriber::run() {
  auto next_prune = Steady::now() + options_.prune_interval;
  while (!stopping_) {
    co_await wake_.wait_until(next_prune);
    if (stopping_) break;
    if (Steady::now() >= next_prune) {
      auto pruned = registry_.prune(clock_.now(), nats_ok_);
      if (!pruned.empty())
        log_.info("pruned", {{"routes", static_cast<std::int64_t>(pruned.size())}});
      next_prune = Steady::now() + options_.prune_interval;
    }
    if (registry_.pending()) {
      slot_.store(registry_.publish());
      // Coalesce: changes arriving now wait for the next interval.
      asio::steady_timer pause(ex_, options_.publish_interval);
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
  subscriptions_.clear();
}

void RouteSubscriber::stop() {
  stopping_ = true;
  wake_.notify();
}

}  // namespace cupola::router
