#include "common/nats/announcer.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/json/json.h"

namespace cupola::nats {
namespace asio = boost::asio;

std::string announcement_json(const Announcement& a, std::chrono::seconds uptime) {
  json::Writer w;
  w.start_object();
  w.field("name", a.name).field("index", a.index);
  if (!a.id.empty()) w.field("id", a.id);
  w.field("host", a.host);
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

Status Announcer::announce() {
  auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
  return client_.publish(kAnnounceSubject, announcement_json(announcement_(), uptime));
}

asio::awaitable<void> Announcer::run() {
  started_ = std::chrono::steady_clock::now();
  auto sub = client_.subscribe(kDiscoverSubject, [this](Message) {
    if (stopping_) return;
    if (auto s = announce(); !s) log_.error("announce-failed", s.error().message);
  });
  if (sub) {
    discover_.emplace(std::move(*sub));
  } else {
    log_.error("discover-subscribe-failed", sub.error().message);
  }
  bool failing = false;
  while (!stopping_) {
    auto s = announce();
    if (!s && !failing) log_.error("announce-failed", s.error().message);
    failing = !s;
    timer_.expires_after(interval_);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  discover_.reset();
}

void Announcer::stop() {
  stopping_ = true;
  timer_.cancel();
}

}  // namespace cupola::nats
