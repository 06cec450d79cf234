#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bbs/api/events.h"

namespace cupola::bbs {

// Fans every change out to the event stream's subscribers. A subscriber that falls
// `max_pending` events behind is dropped (its stream ends; it must re-list and
// resubscribe), so one slow reader never holds up the BBS. Single-threaded: publish,
// subscribe and next() run on the hub's executor.
class EventHub {
 public:
  class Subscription {
   public:
    explicit Subscription(boost::asio::any_io_executor ex);
    // The next event; nullopt once this subscription was dropped, the hub closed, or the
    // wait was cancelled (no event is lost then: it waits for the next call).
    boost::asio::awaitable<std::optional<Event>> next();
    // The next event if one is waiting, without waiting.
    std::optional<Event> try_next();
    bool dropped() const { return closed_; }

   private:
    friend class EventHub;
    std::deque<Event> pending_;
    boost::asio::steady_timer wake_;
    bool closed_ = false;
  };

  explicit EventHub(boost::asio::any_io_executor ex, std::size_t max_pending = 1024);

  void publish(Event event);
  void publish(std::vector<Event> events);
  std::shared_ptr<Subscription> subscribe();
  void unsubscribe(const std::shared_ptr<Subscription>& s);
  // Ends every subscription (the server is stopping).
  void close();

  std::size_t subscribers() const { return subs_.size(); }
  std::uint64_t published() const { return published_; }
  std::uint64_t dropped_subscribers() const { return dropped_; }

 private:
  boost::asio::any_io_executor ex_;
  std::size_t max_pending_;
  std::vector<std::shared_ptr<Subscription>> subs_;
  std::uint64_t published_ = 0;
  std::uint64_t dropped_ = 0;
  bool closed_ = false;
};

}  // namespace cupola::bbs
