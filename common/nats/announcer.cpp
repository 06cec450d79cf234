#include "common/nats/announcer.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/json/json.h"

namespace cupola::nats {
namespace asio = boost::asio;

std::string announcement_json(const Announcement& a, std::chrono::seconds uptime) {
  json::Writer w;
  w.start_object();
  w.field("name", a.name).field("index", a.index).field("host", a.host);
  w.field("health_url", a.health_url).field("uptime_seconds", uptime.count());
  w.end_object();
  return w.str();
}

Announcer::Announcer(Client& client, std::function<Announcement()> announcement, log::Logger log,
                     std::chrono::milliseconds interval)
    : client_(client),
      announcement_(std::move(announcement)),
      log_(std::move(log)),
      interval_(interval),
      timer_(client.executor()) {}

asio::awaitable<void> Announcer::run() {
  const auto started = std::chrono::steady_clock::now();
  bool failing = false;
  while (!stopping_) {
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - started);
    auto s = client_.publish(kAnnounceSubject, announcement_json(announcement_(), uptime));
    if (!s && !failing) log_.error("announce-failed", s.error().message);
    failing = !s;
    timer_.expires_after(interval_);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void Announcer::stop() {
  stopping_ = true;
  timer_.cancel();
}

}  // namespace cupola::nats
