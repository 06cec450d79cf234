#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "common/log/log.h"
#include "common/nats/client.h"
#include "common/service/service.h"

namespace cupola::nats {

// Who a process is, as announced on NATS.
struct Announcement {
  std::string name;  // "bbs", "router", ...
  int index = 0;     // which of several processes of that name
  std::string id;    // which one, when the name is shared ("cell-3" for a rep); may be empty
  std::string host;
  std::string health_url;
};

inline constexpr std::string_view kAnnounceSubject = "cupola.component.announce";
// A message here (any body) asks every process to announce itself now, rather than at its
// next interval: how `cupola-status` sees the whole platform at once.
inline constexpr std::string_view kDiscoverSubject = "cupola.component.discover";

// {"name":…,"index":…,"id":…,"host":…,"health_url":…,"uptime_seconds":…} ("id" only when set)
std::string announcement_json(const Announcement& a, std::chrono::seconds uptime);

// Every process tells the platform it is there (ARCHITECTURE §2): publishes its
// Announcement on cupola.component.announce at start and then every `interval`. A publish
// that fails (NATS away) is logged and the next one tries again. Runs on the client's
// executor. Answers a message on kDiscoverSubject with an announcement at once.
class Announcer final : public Service {
 public:
  // `announcement` is asked each time: what it says may only be known once the process runs
  // (a port bound to 0, say).
  Announcer(Client& client, std::function<Announcement()> announcement, log::Logger log,
            std::chrono::milliseconds interval = std::chrono::seconds(10));

  std::string name() const override { return "announcer"; }
  boost::asio::awaitable<void> run() override;
  void stop() override;

 private:
  Client& client_;
  std::function<Announcement()> announcement_;
  log::Logger log_;
  std::chrono::milliseconds interval_;
  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point started_;
  std::optional<Subscription> discover_;
  bool stopping_ = false;

  Status announce();
};

}  // namespace cupola::nats
