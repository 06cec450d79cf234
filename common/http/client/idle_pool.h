#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace cupola::http {

// Idle keep-alive connections per key (an origin), bounded per key and expiring after
// `idle_timeout`. Pure bookkeeping: the caller passes the time, and a dropped connection
// is simply destroyed (which closes it). Not thread-safe; one owner.
template <class Conn>
class IdlePool {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  IdlePool(std::size_t max_idle_per_key, std::chrono::steady_clock::duration idle_timeout)
      : max_idle_(max_idle_per_key), idle_timeout_(idle_timeout) {}

  // The most recently returned connection for `key` that has not expired; null if none.
  // Expired connections for every key are dropped on the way.
  std::unique_ptr<Conn> take(const std::string& key, TimePoint now) {
    expire(now);
    auto it = idle_.find(key);
    if (it == idle_.end()) return nullptr;
    std::unique_ptr<Conn> conn = std::move(it->second.back().conn);
    it->second.pop_back();
    if (it->second.empty()) idle_.erase(it);
    return conn;
  }

  // Keeps `conn` for reuse. When `key` already holds the maximum, the longest-idle
  // connection is dropped to make room (none are kept when the maximum is zero).
  void put(const std::string& key, std::unique_ptr<Conn> conn, TimePoint now) {
    expire(now);
    if (max_idle_ == 0) return;
    auto& list = idle_[key];
    if (list.size() >= max_idle_) list.pop_front();
    list.push_back(Entry{std::move(conn), now});
  }

  // Drops every connection idle for `idle_timeout` or longer; returns how many.
  std::size_t expire(TimePoint now) {
    std::size_t dropped = 0;
    for (auto it = idle_.begin(); it != idle_.end();) {
      auto& list = it->second;
      while (!list.empty() && now - list.front().since >= idle_timeout_) {
        list.pop_front();
        ++dropped;
      }
      it = list.empty() ? idle_.erase(it) : std::next(it);
    }
    return dropped;
  }

  std::size_t idle_count(const std::string& key) const {
    auto it = idle_.find(key);
    return it == idle_.end() ? 0 : it->second.size();
  }
  std::size_t idle_count() const {
    std::size_t n = 0;
    for (const auto& [key, list] : idle_) n += list.size();
    return n;
  }
  void clear() { idle_.clear(); }

 private:
  struct Entry {
    std::unique_ptr<Conn> conn;
    TimePoint since;
  };

  std::size_t max_idle_;
  std::chrono::steady_clock::duration idle_timeout_;
  std::map<std::string, std::deque<Entry>> idle_;  // oldest first
};

}  // namespace cupola::http
