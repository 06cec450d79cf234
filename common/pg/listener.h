#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/core/result.h"
#include "common/log/log.h"
#include "common/pg/connect.h"
#include "common/pg/connection.h"
#include "common/service/service.h"

namespace cupola::pg {

struct ListenerOptions {
  ConnectOptions connect;
  std::vector<std::string> channels;  // each must pass is_valid_channel_name()
};

// LISTENs on its own connection and hands every notification to `on_notification` on the
// executor. When the connection is lost it reconnects with backoff and LISTENs again;
// notifications sent while it was away are lost, so `on_listening` runs after every
// (re)subscription for callers that need to catch up. All calls on `ex`
// (single-threaded io_context). Callbacks must not throw.
class Listener final : public Service {
 public:
  using NotificationHandler = std::function<void(const Notification&)>;
  using ListeningHandler = std::function<void()>;

  // Throws std::invalid_argument for an invalid channel name (a startup error).
  Listener(boost::asio::any_io_executor ex, ListenerOptions options, log::Logger log,
           NotificationHandler on_notification, ListeningHandler on_listening = {});

  // Service
  std::string name() const override { return "pg-listener"; }
  boost::asio::awaitable<void> run() override;
  void stop() override;

  // How many times LISTEN has been established (1 after the first connect, 2 after the
  // first reconnect, ...).
  std::uint64_t generation() const { return generation_; }
  // Waits until generation() >= `generation`; Errc::Timeout after `timeout`.
  boost::asio::awaitable<Status> wait_for_generation(std::uint64_t generation,
                                                     std::chrono::milliseconds timeout);
  // The backend pid of the current connection, 0 while disconnected.
  int backend_pid() const;

 private:
  boost::asio::awaitable<Status> listen(Connection& conn);
  boost::asio::awaitable<Status> receive(Connection& conn);
  void deliver(Connection& conn);
  void bump_generation();

  boost::asio::any_io_executor ex_;
  ListenerOptions options_;
  log::Logger log_;
  NotificationHandler on_notification_;
  ListeningHandler on_listening_;
  std::unique_ptr<Connection> conn_;
  boost::asio::steady_timer stopped_;  // cancelled by stop()
  boost::asio::steady_timer changed_;  // cancelled when the generation moves
  std::uint64_t generation_ = 0;
  bool stopping_ = false;
};

}  // namespace cupola::pg
