#pragma once

// Internal to common/nats: one cnats subscription and the hand-over of its messages to the
// executor.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <nats/nats.h>
#include <boost/asio/any_io_executor.hpp>

#include "common/core/result.h"
#include "common/log/log.h"
#include "common/nats/message.h"

namespace cupola::nats::detail {

// A subscription's state, shared by its Subscription handle, the messages posted to the
// executor, and cnats (through the callback closure, which cnats gives up once it reports the
// subscription complete). The handler runs on the executor; none runs after deactivate().
class SubscriptionState : public std::enable_shared_from_this<SubscriptionState> {
 public:
  // `no_responders` is true for the server's status reply to a request nobody listens to.
  using Handler = std::function<void(Message message, bool no_responders)>;

  // Subscribes on `nc` (`queue` empty: a plain subscription). Call on the executor.
  static Result<std::shared_ptr<SubscriptionState>> start(natsConnection* nc, std::string subject,
                                                          const std::string& queue,
                                                          boost::asio::any_io_executor executor,
                                                          log::Logger log, Handler handler);

  SubscriptionState(std::string subject, boost::asio::any_io_executor executor, log::Logger log,
                    Handler handler);

  // Stops delivery to the handler; the cnats subscription stays. Call on the executor.
  void deactivate();
  // Stops delivery and unsubscribes at the server. Idempotent. Call on the executor.
  void unsubscribe();

  bool active() const { return active_.load(); }
  const std::string& subject() const { return subject_; }

 private:
  static void on_message(natsConnection* nc, natsSubscription* sub, natsMsg* msg, void* closure);
  static void on_complete(void* closure);

  void deliver(Message message, bool no_responders);
  void run(Message message, bool no_responders);

  std::string subject_;
  boost::asio::any_io_executor executor_;
  log::Logger log_;
  Handler handler_;
  std::atomic<bool> active_{true};
  std::mutex mu_;                    // orders deliver() against deactivate()
  natsSubscription* sub_ = nullptr;  // guarded by mu_
};

}  // namespace cupola::nats::detail
