#include "cloud_controller/src/uaa/revocation_sync.h"

#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola::cc::uaa {
namespace asio = boost::asio;

RevocationSync::RevocationSync(const asio::any_io_executor& executor, RevocationStore& store,
                               RevokedTokens& revoked, const Clock& clock,
                               std::chrono::milliseconds interval, log::Logger log)
    : store_(store),
      revoked_(revoked),
      clock_(clock),
      interval_(interval),
      log_(std::move(log)),
      timer_(executor) {}

asio::awaitable<Status> RevocationSync::sync_once() {
  TimePoint now = clock_.now();
  auto list_op = store_.list_active(now);
  auto active = co_await std::move(list_op);
  if (!active) co_return std::move(active).error();
  revoked_.merge(*active);
  revoked_.prune(now);
  auto prune_op = store_.prune(now);
  auto pruned = co_await std::move(prune_op);
  if (!pruned) co_return std::move(pruned).error();
  co_return Status{};
}

asio::awaitable<void> RevocationSync::start() {
  auto first = sync_once();
  auto synced = co_await std::move(first);
  if (!synced) {
    throw std::runtime_error("cannot load the revoked tokens: " + synced.error().describe());
  }
}

asio::awaitable<void> RevocationSync::run() {
  while (!stopped_) {
    timer_.expires_after(interval_);
    auto wait = timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    co_await std::move(wait);
    if (stopped_) break;
    auto round = sync_once();
    auto synced = co_await std::move(round);
    if (!synced) log_.error("uaa.revocation-sync.failed", synced.error().describe());
  }
}

void RevocationSync::stop() {
  stopped_ = true;
  timer_.cancel();
}

}  // namespace cupola::cc::uaa
