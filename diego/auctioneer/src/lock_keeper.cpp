#include "diego/auctioneer/src/lock_keeper.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bbs/api/models/errors.h"

namespace cupola::auctioneer {
namespace asio = boost::asio;

LockKeeper::LockKeeper(asio::any_io_executor ex, bbs::BbsClient& bbs, LockKeeperOptions options,
                       const Clock& clock, log::Logger log)
    : bbs_(bbs),
      options_(std::move(options)),
      clock_(clock),
      log_(std::move(log)),
      wake_(std::move(ex)) {}

bool LockKeeper::holding() const { return held_ && clock_.now() < held_until_; }

std::string LockKeeper::active_value() const { return holding() ? value_ : active_value_; }

void LockKeeper::lose(std::string_view why) {
  if (held_) log_.error("lock-keeper.lock-lost", why, {{"key", options_.key}});
  held_ = false;
}

asio::awaitable<bool> LockKeeper::attempt() {
  std::string value = options_.value ? options_.value() : std::string();
  // The BBS counts the TTL from when it handles the acquire, which is after this moment,
  // so holding until sent + ttl never outlasts the lock.
  auto sent = clock_.now();
  auto ttl_seconds = static_cast<std::uint32_t>(options_.ttl.count());
  auto acquired = co_await bbs_.acquire_lock(options_.key, options_.owner, ttl_seconds, value);
  last_failed_ = false;
  if (acquired) {
    if (!holding()) log_.info("lock-keeper.lock-acquired", {{"key", options_.key}});
    held_ = true;
    held_until_ = sent + options_.ttl;
    value_ = std::move(value);
    co_return true;
  }
  if (bbs::error_type_of(acquired.error()) == bbs::ErrorType::LockCollision) {
    lose(acquired.error().message);
    auto holder = co_await bbs_.get_lock(options_.key);
    active_value_ = holder ? holder->value : std::string();
    co_return false;
  }
  last_failed_ = true;
  log_.error("lock-keeper.acquire-failed", acquired.error().message, {{"key", options_.key}});
  if (held_ && !holding()) lose("the lock expired before a refresh succeeded");
  co_return holding();
}

asio::awaitable<void> LockKeeper::release() {
  if (!held_) co_return;
  held_ = false;
  auto released = co_await bbs_.release_lock(options_.key, options_.owner);
  if (!released) {
    log_.error("lock-keeper.release-failed", released.error().message, {{"key", options_.key}});
  } else {
    log_.info("lock-keeper.lock-released", {{"key", options_.key}});
  }
}

asio::awaitable<void> LockKeeper::run() {
  while (!stopping_) {
    try {
      co_await attempt();
    } catch (const std::exception& e) {
      last_failed_ = true;
      log_.error("lock-keeper.acquire-failed", e.what(), {{"key", options_.key}});
    }
    if (stopping_) break;
    // A collision is an answer: the passive side asks again at the refresh pace.
    wake_.expires_after(last_failed_ ? options_.retry_interval : options_.refresh_interval);
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_await release();
}

void LockKeeper::stop() {
  stopping_ = true;
  wake_.cancel();
}

}  // namespace cupola::auctioneer
