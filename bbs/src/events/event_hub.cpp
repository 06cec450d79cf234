#include "bbs/src/events/event_hub.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola::bbs {
namespace asio = boost::asio;

EventHub::Subscription::Subscription(asio::any_io_executor ex)
    : wake_(std::move(ex), asio::steady_timer::time_point::max()) {}

asio::awaitable<std::optional<Event>> EventHub::Subscription::next() {
  while (pending_.empty() && !closed_) {
    wake_.expires_at(asio::steady_timer::time_point::max());
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    // A publish also ends the wait; only the caller's cancellation ends this call.
    auto cs = co_await asio::this_coro::cancellation_state;
    if (cs.cancelled() != asio::cancellation_type::none) co_return std::nullopt;
  }
  if (closed_) co_return std::nullopt;
  Event e = std::move(pending_.front());
  pending_.pop_front();
  co_return e;
}

std::optional<Event> EventHub::Subscription::try_next() {
  if (pending_.empty()) return std::nullopt;
  Event e = std::move(pending_.front());
  pending_.pop_front();
  return e;
}

EventHub::EventHub(asio::any_io_executor ex, std::size_t max_pending)
    : ex_(std::move(ex)), max_pending_(max_pending) {}

void EventHub::publish(Event event) {
  ++published_;
  bool any_dropped = false;
  for (auto& s : subs_) {
    if (s->pending_.size() >= max_pending_) {
      s->closed_ = true;
      s->pending_.clear();
      ++dropped_;
      any_dropped = true;
    } else {
      s->pending_.push_back(event);
    }
    s->wake_.cancel();
  }
  if (any_dropped) {
    std::erase_if(subs_, [](const auto& s) { return s->closed_; });
  }
}

void EventHub::publish(std::vector<Event> events) {
  for (auto& e : events) publish(std::move(e));
}

std::shared_ptr<EventHub::Subscription> EventHub::subscribe() {
  auto s = std::make_shared<Subscription>(ex_);
  if (closed_) {
    s->closed_ = true;
  } else {
    subs_.push_back(s);
  }
  return s;
}

void EventHub::unsubscribe(const std::shared_ptr<Subscription>& s) {
  std::erase(subs_, s);
  s->closed_ = true;
  s->wake_.cancel();
}

void EventHub::close() {
  closed_ = true;
  for (auto& s : subs_) {
    s->closed_ = true;
    s->wake_.cancel();
  }
  subs_.clear();
}

}  // namespace cupola::bbs
