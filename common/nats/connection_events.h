#pragma once

// Internal to common/nats: carries cnats's connection callbacks over to the executor.

#include <functional>
#include <memory>
#include <mutex>

#include <nats/nats.h>
#include <boost/asio/any_io_executor.hpp>

#include "common/core/result.h"
#include "common/log/log.h"
#include "common/nats/options.h"

namespace cupola::nats::detail {

// Shared by a Client and the callbacks cnats runs on its own threads. Each event is posted
// to the executor, where `handler` runs; nothing runs there after deactivate() returns.
// cnats keeps a reference (the closure installed in the options) until it reports the
// connection closed, or until release_unused() after a connect that never succeeded.
class ConnectionEvents : public std::enable_shared_from_this<ConnectionEvents> {
 public:
  using Handler = std::function<void(ConnectionEvent)>;

  ConnectionEvents(boost::asio::any_io_executor executor, log::Logger log, Handler handler);

  // Registers the disconnected, reconnected, closed and error callbacks on `options`.
  Status install(natsOptions* options);
  // No connection used the installed callbacks: drop cnats's reference.
  void release_unused();
  // Stops delivery to the handler. Call on the executor.
  void deactivate();

 private:
  static void on_disconnected(natsConnection* nc, void* closure);
  static void on_reconnected(natsConnection* nc, void* closure);
  static void on_closed(natsConnection* nc, void* closure);
  static void on_error(natsConnection* nc, natsSubscription* sub, natsStatus err, void* closure);

  void post(ConnectionEvent event);

  boost::asio::any_io_executor executor_;
  log::Logger log_;
  Handler handler_;  // used on the executor only
  std::mutex mu_;
  bool active_ = true;                                    // guarded by mu_
  std::shared_ptr<ConnectionEvents>* closure_ = nullptr;  // cnats's reference
};

}  // namespace cupola::nats::detail
