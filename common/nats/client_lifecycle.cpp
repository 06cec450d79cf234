#include "common/nats/client.h"

#include <algorithm>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/core/time.h"
#include "common/nats/cnats.h"
#include "common/nats/connection_events.h"
#include "common/nats/subscription_state.h"

namespace cupola::nats {
namespace asio = boost::asio;

namespace {

// How long after the drain timeout cnats may take to report the connection closed.
constexpr std::chrono::seconds kDrainCloseGrace{1};

}  // namespace

void Client::close() {
  if (closed_.exchange(true)) return;
  if (connect_backoff_ != nullptr) connect_backoff_->cancel();
  for (auto& weak : subscriptions_) {
    if (auto state = weak.lock()) state->deactivate();
  }
  subscriptions_.clear();
  if (inbox_) inbox_->deactivate();
  fail_pending(make_error(Errc::Cancelled, "the NATS client was closed"));
  if (auto* nc = conn_.load()) {
    natsConnection_Close(nc);
    log_.info("closed");
  }
}

asio::awaitable<Status> Client::drain(std::chrono::milliseconds timeout) {
  auto* nc = conn_.load();
  if (nc == nullptr || closed_ || connection_closed_) {
    close();
    co_return Status{};
  }
  natsStatus s = natsConnection_DrainTimeout(nc, timeout.count());
  if (s != NATS_OK) {
    close();
    co_return detail::to_error(s, "drain the NATS connection");
  }
  // cnats finishes the drain on its own threads and closes the connection, also when its
  // own timeout strikes; handle_event(Closed) reports that by cancelling this timer.
  auto started = std::chrono::steady_clock::now();
  asio::steady_timer waiter(executor_, timeout + kDrainCloseGrace);
  close_waiters_.push_back(&waiter);
  co_await waiter.async_wait(asio::as_tuple(asio::use_awaitable));
  std::erase(close_waiters_, &waiter);
  bool drained = connection_closed_ && std::chrono::steady_clock::now() - started <= timeout;
  close();
  if (!drained) {
    co_return make_error(Errc::Timeout, fmt::format("draining the NATS connection took over {}",
                                                    format_duration(timeout)));
  }
  co_return Status{};
}

void Client::handle_event(ConnectionEvent event) {
  switch (event) {
    case ConnectionEvent::Disconnected:
      log_.info("disconnected");
      break;
    case ConnectionEvent::Reconnected: {
      char url[256] = {};
      if (auto* nc = conn_.load()) natsConnection_GetConnectedUrl(nc, url, sizeof(url));
      log_.info("reconnected", {{"url", url}});
      break;
    }
    case ConnectionEvent::Closed:
      log_.info("connection-closed");
      connection_closed_ = true;
      fail_pending(make_error(Errc::Unavailable, "the NATS connection was closed"));
      for (auto* waiter : close_waiters_) waiter->cancel();
      break;
  }
  if (user_handler_) user_handler_(event);
}

}  // namespace cupola::nats
