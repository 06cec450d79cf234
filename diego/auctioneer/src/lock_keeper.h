#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bbs/api/client/bbs_client.h"
#include "common/core/clock.h"
#include "common/log/log.h"
#include "common/service/service.h"

namespace cupola::auctioneer {

struct LockKeeperOptions {
  std::string key = "auctioneer";
  std::string owner;                                  // unique to this process, e.g. a GUID
  std::function<std::string()> value;                 // published with the lock: this process's URL
  std::chrono::seconds ttl{15};                       // how long one acquire holds the lock
  std::chrono::milliseconds refresh_interval{5'000};  // between acquires while all is well
  std::chrono::milliseconds retry_interval{1'000};    // after an acquire that failed
};

// Keeps the BBS lock `key` for this process (active/passive): acquires it every
// refresh_interval (every retry_interval after a failure), with `value` published. It holds
// the lock from a successful acquire until ttl after that acquire was sent, unless an
// acquire answers LockCollision first (another owner took it). On a collision it asks the
// BBS for the holder's value, so a passive process can name the active one. Releases the
// lock when run() ends. Runs on `ex`, the BBS client's executor; `bbs` and `clock` must
// outlive it.
class LockKeeper final : public Service {
 public:
  LockKeeper(boost::asio::any_io_executor ex, bbs::BbsClient& bbs, LockKeeperOptions options,
             const Clock& clock, log::Logger log);

  // Sets what acquires publish with the lock; called before run().
  void set_value(std::function<std::string()> value) { options_.value = std::move(value); }

  // True while this process holds the lock.
  bool holding() const;
  // The active holder's value as last learned: ours while holding, "" when unknown.
  std::string active_value() const;

  // One acquire or refresh. Returns holding() afterwards.
  boost::asio::awaitable<bool> attempt();
  // Gives the lock back if held.
  boost::asio::awaitable<void> release();

  // Service
  std::string name() const override { return "lock-keeper"; }
  boost::asio::awaitable<void> run() override;
  void stop() override;

 private:
  void lose(std::string_view why);

  bbs::BbsClient& bbs_;
  LockKeeperOptions options_;
  const Clock& clock_;
  log::Logger log_;
  boost::asio::steady_timer wake_;
  bool held_ = false;
  Clock::time_point held_until_{};
  std::string value_;  // what we published with our last successful acquire
  std::string active_value_;
  bool last_failed_ = false;
  bool stopping_ = false;
};

}  // namespace cupola::auctioneer
