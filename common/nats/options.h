#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace cupola::nats {

// max_reconnect_attempts value meaning "never give up".
inline constexpr int kReconnectForever = -1;

struct ClientOptions {
  // Server URLs ("nats://127.0.0.1:4222"); tried in order by connect().
  std::vector<std::string> servers{"nats://127.0.0.1:4222"};
  // Shown by the server (connz) to identify this connection.
  std::string name;

  // After the first connection: the library's own reconnect loop.
  std::chrono::milliseconds reconnect_wait{2000};
  int max_reconnect_attempts = kReconnectForever;
  // Bytes of publishes kept while reconnecting; beyond this publish() fails.
  int reconnect_buffer_bytes = 8 * 1024 * 1024;

  // One TCP connect plus handshake to one server.
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds ping_interval{20000};

  // connect() retries until this much time has passed, waiting between attempts from
  // connect_backoff_min, doubling, up to connect_backoff_max.
  std::chrono::milliseconds connect_retry_for{60000};
  std::chrono::milliseconds connect_backoff_min{100};
  std::chrono::milliseconds connect_backoff_max{2000};
};

// Changes of a connected client's link to the server.
enum class ConnectionEvent { Disconnected, Reconnected, Closed };

enum class ConnectionStatus { Disconnected, Connecting, Connected, Reconnecting, Draining, Closed };

// "disconnected", "reconnected", "closed".
std::string_view event_name(ConnectionEvent event);
// "disconnected", "connecting", "connected", "reconnecting", "draining", "closed".
std::string_view status_name(ConnectionStatus status);

}  // namespace cupola::nats
