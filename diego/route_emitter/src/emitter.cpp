#include "diego/route_emitter/src/emitter.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <stdexcept>

#include "bbs/api/client/event_stream.h"

namespace cupola::route_emitter {
namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

Emitter::Emitter(asio::any_io_executor ex, bbs::BbsClient& bbs, nats::Client& nats,
                 EmitterOptions options, log::Logger log)
    : ex_(ex), bbs_(bbs), nats_(nats), options_(options), log_(std::move(log)), wake_(ex) {}

asio::awaitable<void> Emitter::start() {
  auto sub = nats_.subscribe("router.start", [this](nats::Message m) { on_router_greeting(m); });
  if (!sub) throw std::runtime_error("cannot subscribe to router.start: " + sub.error().message);
  router_start_ = std::move(sub).value();
  // A router that runs already answers at once with its interval.
  auto greeting = co_await nats_.request("router.greet", "{}", options_.greet_timeout);
  if (greeting) on_router_greeting(*greeting);
}

void Emitter::on_router_greeting(const nats::Message& m) {
  auto g = parse_router_greeting(m.data);
  if (!g) {
    log_.error("router-greeting-invalid", g.error().message);
    return;
  }
  auto interval = std::chrono::milliseconds(g->minimum_register_interval_seconds * 1000);
  if (interval != options_.register_interval) {
    log_.info("register-interval",
              {{"seconds", g->minimum_register_interval_seconds}, {"router", g->id}});
    options_.register_interval = interval;
    wake_.notify();
  }
  // A router that just started needs every route now.
  emit_all();
}

void Emitter::emit(const Messages& messages) {
  for (const auto& m : messages.unregistrations) {
    if (auto st = nats_.publish("router.unregister", to_json(m)); !st) {
      log_.error("unregister-failed", st.error().message);
    } else {
      ++sent_;
    }
  }
  for (const auto& m : messages.registrations) {
    if (auto st = nats_.publish("router.register", to_json(m)); !st) {
      log_.error("register-failed", st.error().message);
    } else {
      ++sent_;
    }
  }
}

void Emitter::emit_all() {
  Messages all;
  all.registrations = table_.registrations();
  emit(all);
}

void Emitter::on_event(const bbs::Event& event) {
  if (buffered_) {
    buffered_->push_back(event);
    return;
  }
  apply(event);
}

void Emitter::apply(const bbs::Event& e) {
  namespace t = bbs::event_types;
  Messages m;
  if (e.type == t::kDesiredLrpCreated) {
    if (auto d = bbs::decode_desired_lrp(e)) m = table_.set_desired(*d);
  } else if (e.type == t::kDesiredLrpChanged) {
    if (auto c = bbs::decode_desired_lrp_change(e)) m = table_.set_desired(c->after);
  } else if (e.type == t::kDesiredLrpRemoved) {
    if (auto d = bbs::decode_desired_lrp(e)) m = table_.remove_desired(d->process_guid);
  } else if (e.type == t::kActualLrpCreated) {
    if (auto a = bbs::decode_actual_lrp(e)) m = table_.set_actual(*a);
  } else if (e.type == t::kActualLrpChanged) {
    if (auto c = bbs::decode_actual_lrp_change(e)) m = table_.change_actual(c->before, c->after);
  } else if (e.type == t::kActualLrpRemoved) {
    if (auto a = bbs::decode_actual_lrp(e)) {
      m = table_.remove_actual(a->key.process_guid, a->instance_key.instance_guid);
    }
  } else if (e.type == t::kActualLrpCrashed) {
    if (auto c = bbs::decode_actual_lrp_crash(e)) {
      m = table_.remove_actual(c->key.process_guid, c->instance_key.instance_guid);
    }
  }
  emit(m);
}

asio::awaitable<void> Emitter::full_sync() {
  buffered_.emplace();
  auto desired = co_await bbs_.desired_lrps({});
  auto actual = co_await bbs_.actual_lrps({});
  if (!desired || !actual) {
    log_.error("sync-failed", !desired ? desired.error().message : actual.error().message);
    // Events keep the table as current as it was; the next sync tries again.
    auto events = std::move(*buffered_);
    buffered_.reset();
    for (const auto& e : events) apply(e);
    co_return;
  }
  auto messages = table_.sync(*desired, *actual);
  // Events that came while the lists were read replay over them, in order: each record
  // ends as its last event says.
  auto events = std::move(*buffered_);
  buffered_.reset();
  emit(messages);
  for (const auto& e : events) apply(e);
  log_.info("synced", {{"desired", static_cast<std::int64_t>(desired->size())},
                       {"routes", static_cast<std::int64_t>(table_.route_count())},
                       {"registrations", static_cast<std::int64_t>(table_.endpoint_count())}});
}

asio::awaitable<void> Emitter::follow_events() {
  while (!stopping_) {
    events_done_ = false;
    bbs::EventSubscriptionOptions o;
    o.cancel = cancel_;
    o.on_subscribed = [this] {
      resync_ = true;
      wake_.notify();
    };
    auto handler = [this](const bbs::Event& e) {
      on_event(e);
      return !stopping_;
    };
    Status st = co_await bbs_.subscribe_events(std::move(handler), std::move(o));
    events_done_ = true;
    wake_.notify();
    if (stopping_) break;
    log_.error("event-stream-ended", st ? "closed by the bbs" : st.error().message);
    asio::steady_timer timer(ex_, options_.retry_interval);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> Emitter::run() {
  asio::co_spawn(ex_, follow_events(), asio::detached);
  auto next_emit = SteadyClock::now() + options_.register_interval;
  auto next_sync = SteadyClock::now() + options_.sync_interval;
  while (!stopping_) {
    auto next = std::min(next_emit, next_sync);
    co_await wake_.wait_until(next);
    if (stopping_) break;
    if (resync_) {
      resync_ = false;
      co_await full_sync();
      next_sync = SteadyClock::now() + options_.sync_interval;
    }
    auto now = SteadyClock::now();
    if (now >= next_sync) {
      co_await full_sync();
      next_sync = SteadyClock::now() + options_.sync_interval;
    }
    next_emit = std::min(next_emit, SteadyClock::now() + options_.register_interval);
    if (SteadyClock::now() >= next_emit) {
      emit_all();
      next_emit = SteadyClock::now() + options_.register_interval;
    }
  }
  cancel_.cancel();
  auto deadline = SteadyClock::now() + std::chrono::seconds(5);
  while (!events_done_ && SteadyClock::now() < deadline) co_await wake_.wait_until(deadline);
  router_start_.unsubscribe();
}

void Emitter::stop() {
  stopping_ = true;
  cancel_.cancel();
  wake_.notify();
}

}  // namespace cupola::route_emitter
