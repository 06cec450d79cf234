#pragma once

#include <memory>
#include <string>

namespace cupola::nats {

namespace detail {
class SubscriptionState;
}

// Owns one subscription: unsubscribes when destroyed or on unsubscribe(). Once either returns,
// the handler is not called again, even for messages already received. Use and destroy it on
// the client's executor. It may outlive its Client (it is then already inactive).
class Subscription {
 public:
  Subscription() = default;
  explicit Subscription(std::shared_ptr<detail::SubscriptionState> state);
  ~Subscription();
  Subscription(Subscription&& other) noexcept = default;
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Idempotent.
  void unsubscribe();
  // False after unsubscribe() or once the client was closed.
  bool active() const;
  // The subject as subscribed (possibly with wildcards); empty when default-constructed.
  std::string subject() const;

 private:
  std::shared_ptr<detail::SubscriptionState> state_;
};

}  // namespace cupola::nats
