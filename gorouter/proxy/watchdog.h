#pragma once

// One timer per client connection instead of one per read and write. The session moves a
// deadline as it goes from phase to phase (a store, no timer operation); the timer wakes only
// when the deadline may have passed. Then the watchdog cancels the pending operations on the
// sockets it watches and remembers which phase ran out, so the session can answer for it.
// Used only from the loop that owns the session.

#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cupola::router {

class Watchdog : public std::enable_shared_from_this<Watchdog> {
 public:
  enum class Phase {
    ClientHead,   // reading a request head
    ClientIdle,   // waiting for the next request on a kept-alive connection
    ClientBody,   // reading the request body
    Backend,      // connecting to, writing to or waiting for the backend
    ClientWrite,  // writing to the client
  };
  using Clock = std::chrono::steady_clock;

  explicit Watchdog(boost::asio::any_io_executor ex) : timer_(std::move(ex)) {}
  // Starts watching; the watchdog lives until stop() and its wait have ended.
  static std::shared_ptr<Watchdog> start(boost::asio::any_io_executor ex);
  // Ends the watch: the timer is cancelled and no socket is touched again.
  void stop();

  // From now on, `phase` has `timeout` to finish.
  void set(Phase phase, Clock::duration timeout);
  // No deadline (a tunnel).
  void never();
  void watch_client(boost::asio::ip::tcp::socket* s) { client_ = s; }
  void watch_backend(boost::asio::ip::tcp::socket* s) { backend_ = s; }
  // The phase whose deadline passed, once it has; reset by clear().
  std::optional<Phase> expired() const { return expired_; }
  void clear() { expired_.reset(); }

 private:
  void run();

  boost::asio::steady_timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point armed_ = Clock::time_point::max();  // when the timer will next wake
  Phase phase_ = Phase::ClientHead;
  std::optional<Phase> expired_;
  boost::asio::ip::tcp::socket* client_ = nullptr;
  boost::asio::ip::tcp::socket* backend_ = nullptr;
  bool stopped_ = false;
};

}  // namespace cupola::router
