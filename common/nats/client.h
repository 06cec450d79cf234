#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "common/core/result.h"
#include "common/log/log.h"
#include "common/nats/message.h"
#include "common/nats/options.h"
#include "common/nats/subscription.h"

struct __natsConnection;

namespace cupola::nats {

namespace detail {
class ConnectionEvents;
class SubscriptionState;
}  // namespace detail

// A NATS connection whose handlers, connection events and coroutines all run on one Asio
// executor. cnats does the network I/O on its own threads; nothing here blocks the executor
// for longer than a lock (close() and the destructor excepted, see there).
//
// Threads: connect, subscribe, queue_subscribe, request, flush, drain, close,
// on_connection_event and the destructor are called on the executor. publish, respond,
// status, connected and max_payload may be called from any thread once connect() has
// succeeded. Destroy the client only after its coroutines have finished.
class Client {
 public:
  using EventHandler = std::function<void(ConnectionEvent)>;

  Client(boost::asio::any_io_executor executor, ClientOptions options, const log::Logger& logger);
  // Closes the connection (see close()) and waits for a connect attempt in flight, at most
  // connect_timeout per server.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Receives Disconnected, Reconnected and Closed on the executor. Replaces any earlier one.
  void on_connection_event(EventHandler handler);

  // Connects, retrying with backoff (ClientOptions::connect_*) while no server answers.
  // Afterwards the connection reconnects by itself; publishes made meanwhile are buffered.
  // Errors: Unavailable when no server answered in time (the message names the servers),
  // Conflict when already connected or connecting, Cancelled when close() interrupted it.
  boost::asio::awaitable<Status> connect();

  // Publishes `data` to `subject`, asking for answers on `reply` when it is not empty.
  // Errors: InvalidArgument (subject), LimitExceeded (payload above the server's maximum, or
  // the reconnect buffer is full), Unavailable (not connected yet, or closed).
  Status publish(std::string_view subject, std::string_view data, std::string_view reply = {});
  // Publishes `data` to `request.reply`; InvalidArgument when the request has no reply.
  Status respond(const Message& request, std::string_view data);

  // Delivers messages on `subject` (wildcards allowed) to `handler` on the executor until the
  // Subscription is destroyed. Errors: InvalidArgument (subject), Unavailable.
  Result<Subscription> subscribe(std::string_view subject, MessageHandler handler);
  // As subscribe(), but each message goes to one member of the `queue` group.
  Result<Subscription> queue_subscribe(std::string_view subject, std::string_view queue,
                                       MessageHandler handler);

  // Publishes a request and waits for the first reply. Errors: Timeout (naming the subject)
  // when none came within `timeout`; Unavailable "no responders" when the server knows that
  // nobody subscribes to `subject`; Cancelled when the client is closed meanwhile; and those
  // of publish().
  boost::asio::awaitable<Result<Message>> request(std::string subject, std::string data,
                                                  std::chrono::milliseconds timeout);

  // Waits until the server has processed everything sent so far (subscriptions included).
  boost::asio::awaitable<Status> flush(std::chrono::milliseconds timeout);

  // Stops taking messages, lets handlers finish those already received, sends what is
  // buffered, then closes. Timeout when that took longer than `timeout`; the client is
  // closed either way.
  boost::asio::awaitable<Status> drain(std::chrono::milliseconds timeout);

  // Closes at once: no handler runs after this returns; requests in flight fail with
  // Cancelled. Blocks while cnats flushes (at most half a second) and stops its connection
  // threads, none of which waits for the executor. Idempotent.
  void close();

  ConnectionStatus status() const;
  bool connected() const { return status() == ConnectionStatus::Connected; }
  // The server's limit for one message's payload; 0 before connect().
  std::size_t max_payload() const;

  const boost::asio::any_io_executor& executor() const { return executor_; }

 private:
  struct PendingRequest;

  Status publish_unchecked(std::string_view subject, std::string_view data, std::string_view reply);
  Result<Subscription> start_subscription(std::string_view subject, std::string_view queue,
                                          MessageHandler handler);
  Status start_inbox();
  void handle_event(ConnectionEvent event);
  void on_reply(Message message, bool no_responders);
  void fail_pending(const Error& error);

  boost::asio::any_io_executor executor_;
  ClientOptions options_;
  log::Logger log_;
  boost::asio::thread_pool blocking_{1};  // cnats calls that block: connect, flush
  std::shared_ptr<detail::ConnectionEvents> events_;
  EventHandler user_handler_;
  std::atomic<__natsConnection*> conn_{nullptr};
  std::atomic<bool> connecting_{false};
  std::atomic<bool> closed_{false};  // close() was called
  bool connection_closed_ = false;   // cnats reported the connection closed
  boost::asio::steady_timer* connect_backoff_ = nullptr;
  std::vector<boost::asio::steady_timer*> close_waiters_;
  std::vector<std::weak_ptr<detail::SubscriptionState>> subscriptions_;

  // Request/reply: one wildcard subscription on a private inbox; each request waits for
  // its own token under it.
  std::string inbox_prefix_;  // "_INBOX.<unique>."
  std::shared_ptr<detail::SubscriptionState> inbox_;
  std::uint64_t next_request_ = 0;
  std::unordered_map<std::string, PendingRequest*> pending_;
};

}  // namespace cupola::nats
