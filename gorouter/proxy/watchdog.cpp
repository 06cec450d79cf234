#include "gorouter/proxy/watchdog.h"

namespace cupola::router {

std::shared_ptr<Watchdog> Watchdog::start(boost::asio::any_io_executor ex) {
  auto dog = std::make_shared<Watchdog>(std::move(ex));
  dog->run();
  return dog;
}

void Watchdog::stop() {
  stopped_ = true;
  client_ = backend_ = nullptr;
  timer_.cancel();
}

void Watchdog::set(Phase phase, Clock::duration timeout) {
  phase_ = phase;
  deadline_ = Clock::now() + timeout;
  // Moving the deadline later costs nothing: the timer wakes at the old one and waits again.
  // Only an earlier deadline re-arms it.
  if (deadline_ < armed_) {
    armed_ = deadline_;
    timer_.expires_at(deadline_);  // cancels the wait in flight, which then waits anew
  }
}

void Watchdog::never() { deadline_ = Clock::time_point::max(); }

void Watchdog::run() {
  timer_.expires_at(armed_);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code) {
    if (self->stopped_) return;
    if (Clock::now() >= self->deadline_) {
      self->expired_ = self->phase_;
      self->deadline_ = Clock::time_point::max();
      boost::system::error_code ignored;
      if (self->client_ != nullptr) self->client_->cancel(ignored);
      if (self->backend_ != nullptr) self->backend_->cancel(ignored);
    }
    self->armed_ = self->deadline_;
    self->run();
  });
}

}  // namespace cupola::router
