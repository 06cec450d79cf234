#include "common/nats/subscription.h"

#include <utility>

#include "common/nats/subscription_state.h"

namespace cupola::nats {

Subscription::Subscription(std::shared_ptr<detail::SubscriptionState> state)
    : state_(std::move(state)) {}

Subscription::~Subscription() { unsubscribe(); }

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    unsubscribe();
    state_ = std::move(other.state_);
  }
  return *this;
}

void Subscription::unsubscribe() {
  if (state_) state_->unsubscribe();
}

bool Subscription::active() const { return state_ && state_->active(); }

std::string Subscription::subject() const { return state_ ? state_->subject() : std::string(); }

}  // namespace cupola::nats
