#include "common/nats/options.h"

namespace cupola::nats {

std::string_view event_name(ConnectionEvent event) {
  switch (event) {
    case ConnectionEvent::Disconnected:
      return "disconnected";
    case ConnectionEvent::Reconnected:
      return "reconnected";
    case ConnectionEvent::Closed:
      return "closed";
  }
  return "unknown";
}

std::string_view status_name(ConnectionStatus status) {
  switch (status) {
    case ConnectionStatus::Disconnected:
      return "disconnected";
    case ConnectionStatus::Connecting:
      return "connecting";
    case ConnectionStatus::Connected:
      return "connected";
    case ConnectionStatus::Reconnecting:
      return "reconnecting";
    case ConnectionStatus::Draining:
      return "draining";
    case ConnectionStatus::Closed:
      return "closed";
  }
  return "unknown";
}

}  // namespace cupola::nats
