#include "common/nats/subscription_state.h"

#include <exception>

#include <fmt/format.h>
#include <boost/asio/post.hpp>

#include "common/nats/cnats.h"

namespace cupola::nats::detail {
namespace asio = boost::asio;

using Closure = std::shared_ptr<SubscriptionState>;

Result<std::shared_ptr<SubscriptionState>> SubscriptionState::start(
    natsConnection* nc, std::string subject, const std::string& queue,
    asio::any_io_executor executor, log::Logger log, Handler handler) {
  auto state = std::make_shared<SubscriptionState>(subject, std::move(executor), std::move(log),
                                                   std::move(handler));
  auto* closure = new Closure(state);
  natsSubscription* sub = nullptr;
  natsStatus s = queue.empty()
                     ? natsConnection_Subscribe(&sub, nc, subject.c_str(), &on_message, closure)
                     : natsConnection_QueueSubscribe(&sub, nc, subject.c_str(), queue.c_str(),
                                                     &on_message, closure);
  if (s != NATS_OK) {
    delete closure;  // cnats never saw it
    return to_error(s, fmt::format("subscribe to \"{}\"", subject));
  }
  if (natsSubscription_SetOnCompleteCB(sub, &on_complete, closure) != NATS_OK) {
    // The connection closed the subscription in between, so cnats never reports completion
    // and may still be inside on_message: the closure cannot be freed safely. It is small.
    state->log_.error("subscribe.no-completion-callback", "subscription closed at once",
                      {{"subject", subject}});
  }
  {
    std::lock_guard lock(state->mu_);
    state->sub_ = sub;
  }
  return state;
}

SubscriptionState::SubscriptionState(std::string subject, asio::any_io_executor executor,
                                     log::Logger log, Handler handler)
    : subject_(std::move(subject)),
      executor_(std::move(executor)),
      log_(std::move(log)),
      handler_(std::move(handler)) {}

void SubscriptionState::deactivate() {
  std::lock_guard lock(mu_);
  active_ = false;
}

void SubscriptionState::unsubscribe() {
  natsSubscription* sub = nullptr;
  {
    std::lock_guard lock(mu_);
    active_ = false;
    sub = std::exchange(sub_, nullptr);
  }
  if (sub == nullptr) return;
  // Fails only when the connection already closed the subscription; either way it is gone.
  natsSubscription_Unsubscribe(sub);
  natsSubscription_Destroy(sub);
}

void SubscriptionState::on_message(natsConnection*, natsSubscription*, natsMsg* msg,
                                   void* closure) {
  Message message;
  message.subject = natsMsg_GetSubject(msg);
  if (const char* reply = natsMsg_GetReply(msg)) message.reply = reply;
  if (const char* data = natsMsg_GetData(msg)) {
    message.data.assign(data, static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
  }
  bool no_responders = natsMsg_IsNoResponders(msg);
  natsMsg_Destroy(msg);
  (*static_cast<Closure*>(closure))->deliver(std::move(message), no_responders);
}

void SubscriptionState::on_complete(void* closure) { delete static_cast<Closure*>(closure); }

void SubscriptionState::deliver(Message message, bool no_responders) {
  // Holding mu_ while posting means that once deactivate() returns, no further message is
  // queued for this subscription.
  std::lock_guard lock(mu_);
  if (!active_) return;
  asio::post(executor_, [self = shared_from_this(), m = std::move(message),
                         no_responders]() mutable { self->run(std::move(m), no_responders); });
}

void SubscriptionState::run(Message message, bool no_responders) {
  if (!active_) return;
  try {
    handler_(std::move(message), no_responders);
  } catch (const std::exception& e) {
    log_.error("handler-failed", e.what(), {{"subject", subject_}});
  }
}

}  // namespace cupola::nats::detail
