#include "common/nats/cnats.h"

#include <mutex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/nats/connection_events.h"

namespace cupola::nats::detail {

Status open_library() {
  static std::once_flag once;
  static natsStatus opened = NATS_OK;
  std::call_once(once, [] { opened = nats_Open(-1); });
  if (opened != NATS_OK) return to_error(opened, "initialise the NATS client library");
  return {};
}

Error to_error(natsStatus status, std::string_view what) {
  Errc code = Errc::Internal;
  switch (status) {
    case NATS_TIMEOUT:
      code = Errc::Timeout;
      break;
    case NATS_NO_SERVER:
    case NATS_CONNECTION_CLOSED:
    case NATS_CONNECTION_DISCONNECTED:
    case NATS_STALE_CONNECTION:
    case NATS_NOT_YET_CONNECTED:
    case NATS_IO_ERROR:
    case NATS_NO_RESPONDERS:
    case NATS_DRAINING:
      code = Errc::Unavailable;
      break;
    case NATS_MAX_PAYLOAD:
    case NATS_INSUFFICIENT_BUFFER:
    case NATS_SLOW_CONSUMER:
    case NATS_MAX_DELIVERED_MSGS:
      code = Errc::LimitExceeded;
      break;
    case NATS_INVALID_ARG:
    case NATS_INVALID_SUBJECT:
    case NATS_INVALID_QUEUE_NAME:
      code = Errc::InvalidArgument;
      break;
    case NATS_NOT_PERMITTED:
      code = Errc::Conflict;
      break;
    default:
      break;
  }
  return make_error(code, fmt::format("could not {}: {}", what, natsStatus_GetText(status)));
}

Result<OptionsPtr> make_options(const ClientOptions& options, ConnectionEvents& events) {
  natsOptions* raw = nullptr;
  natsStatus s = natsOptions_Create(&raw);
  if (s != NATS_OK) return to_error(s, "create connection options");
  OptionsPtr opts(raw);

  std::vector<const char*> servers;
  for (const auto& url : options.servers) servers.push_back(url.c_str());
  s = natsOptions_SetServers(opts.get(), servers.data(), static_cast<int>(servers.size()));
  if (s != NATS_OK) return to_error(s, "use the server list");
  if (!options.name.empty()) s = natsOptions_SetName(opts.get(), options.name.c_str());
  if (s == NATS_OK) s = natsOptions_SetAllowReconnect(opts.get(), true);
  if (s == NATS_OK) {
    s = natsOptions_SetReconnectWait(opts.get(), options.reconnect_wait.count());
  }
  if (s == NATS_OK) {
    int max = options.max_reconnect_attempts < 0 ? -1 : options.max_reconnect_attempts;
    s = natsOptions_SetMaxReconnect(opts.get(), max);
  }
  if (s == NATS_OK) {
    s = natsOptions_SetReconnectBufSize(opts.get(), options.reconnect_buffer_bytes);
  }
  if (s == NATS_OK) s = natsOptions_SetTimeout(opts.get(), options.connect_timeout.count());
  if (s == NATS_OK) {
    s = natsOptions_SetPingInterval(opts.get(), options.ping_interval.count());
  }
  // One shared delivery pool instead of a thread per subscription: handlers only hand
  // messages over to the executor, so they never hold a delivery thread for long.
  if (s == NATS_OK) s = natsOptions_UseGlobalMessageDelivery(opts.get(), true);
  if (s != NATS_OK) return to_error(s, "set connection options");

  if (auto installed = events.install(opts.get()); !installed) return installed.error();
  return opts;
}

ConnectionStatus to_status(natsConnStatus status) {
  switch (status) {
    case NATS_CONN_STATUS_DISCONNECTED:
      return ConnectionStatus::Disconnected;
    case NATS_CONN_STATUS_CONNECTING:
      return ConnectionStatus::Connecting;
    case NATS_CONN_STATUS_CONNECTED:
      return ConnectionStatus::Connected;
    case NATS_CONN_STATUS_CLOSED:
      return ConnectionStatus::Closed;
    case NATS_CONN_STATUS_RECONNECTING:
      return ConnectionStatus::Reconnecting;
    case NATS_CONN_STATUS_DRAINING_SUBS:
    case NATS_CONN_STATUS_DRAINING_PUBS:
      return ConnectionStatus::Draining;
  }
  return ConnectionStatus::Disconnected;
}

}  // namespace cupola::nats::detail
