#include "diego/auctioneer/src/batcher.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola::auctioneer {
namespace asio = boost::asio;

Batcher::Batcher(asio::any_io_executor ex, AuctionRunner& runner, std::chrono::milliseconds window,
                 log::Logger log)
    : runner_(runner), window_(window), log_(std::move(log)), wake_(std::move(ex)) {
  wake_.expires_at(asio::steady_timer::time_point::max());
}

void Batcher::submit(Work work) {
  bool was_empty = batch_.empty();
  batch_.add(std::move(work));
  if (was_empty && !batch_.empty()) wake_.cancel();
}

asio::awaitable<void> Batcher::run() {
  while (!stopping_) {
    if (batch_.empty()) {
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    wake_.expires_after(window_);
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (stopping_) break;
    auto work = batch_.take();
    if (may_auction_ && !may_auction_()) {
      log_.info("batcher.batch-dropped", {{"reason", "passive"}});
      continue;
    }
    try {
      co_await runner_.run(std::move(work));
    } catch (const std::exception& e) {
      log_.error("batcher.auction-failed", e.what());
    }
  }
}

void Batcher::stop() {
  stopping_ = true;
  wake_.cancel();
}

}  // namespace cupola::auctioneer
