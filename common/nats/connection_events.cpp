#include "common/nats/connection_events.h"

#include <boost/asio/post.hpp>

#include "common/nats/cnats.h"

namespace cupola::nats::detail {
namespace asio = boost::asio;

namespace {

ConnectionEvents& from(void* closure) {
  return **static_cast<std::shared_ptr<ConnectionEvents>*>(closure);
}

}  // namespace

ConnectionEvents::ConnectionEvents(asio::any_io_executor executor, log::Logger log, Handler handler)
    : executor_(std::move(executor)), log_(std::move(log)), handler_(std::move(handler)) {}

Status ConnectionEvents::install(natsOptions* options) {
  if (closure_ == nullptr) closure_ = new std::shared_ptr<ConnectionEvents>(shared_from_this());
  natsStatus s = natsOptions_SetDisconnectedCB(options, &on_disconnected, closure_);
  if (s == NATS_OK) s = natsOptions_SetReconnectedCB(options, &on_reconnected, closure_);
  if (s == NATS_OK) s = natsOptions_SetClosedCB(options, &on_closed, closure_);
  if (s == NATS_OK) s = natsOptions_SetErrorHandler(options, &on_error, closure_);
  if (s != NATS_OK) return to_error(s, "register connection callbacks");
  return {};
}

void ConnectionEvents::release_unused() {
  delete closure_;
  closure_ = nullptr;
}

void ConnectionEvents::deactivate() {
  std::lock_guard lock(mu_);
  active_ = false;
}

void ConnectionEvents::post(ConnectionEvent event) {
  std::lock_guard lock(mu_);
  if (!active_) return;
  asio::post(executor_, [self = shared_from_this(), event] {
    {
      std::lock_guard lock(self->mu_);
      if (!self->active_) return;
    }
    self->handler_(event);
  });
}

void ConnectionEvents::on_disconnected(natsConnection*, void* closure) {
  from(closure).post(ConnectionEvent::Disconnected);
}

void ConnectionEvents::on_reconnected(natsConnection*, void* closure) {
  from(closure).post(ConnectionEvent::Reconnected);
}

void ConnectionEvents::on_closed(natsConnection*, void* closure) {
  // cnats reports nothing else for a connection after this.
  auto* owned = static_cast<std::shared_ptr<ConnectionEvents>*>(closure);
  (*owned)->post(ConnectionEvent::Closed);
  delete owned;
}

void ConnectionEvents::on_error(natsConnection*, natsSubscription* sub, natsStatus err,
                                void* closure) {
  auto& self = from(closure);
  const char* subject = nullptr;
  if (sub != nullptr) subject = natsSubscription_GetSubject(sub);
  self.log_.error("async-error", natsStatus_GetText(err),
                  {{"subject", subject != nullptr ? subject : ""}});
}

}  // namespace cupola::nats::detail
