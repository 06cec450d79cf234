#pragma once

#include <chrono>
#include <functional>

#include <boost/asio/steady_timer.hpp>

#include "common/log/log.h"
#include "common/service/service.h"
#include "diego/auctioneer/src/auction_runner.h"
#include "diego/auctioneer/src/batch.h"

namespace cupola::auctioneer {

// Collects start requests and auctions them in batches: the first request after a quiet
// spell opens a window of `window`; when it closes, everything gathered (deduplicated, see
// Batch) goes to the runner. Requests that arrive while an auction runs wait for the next
// batch. Runs on one executor; submit() is called there.
class Batcher final : public Service {
 public:
  Batcher(boost::asio::any_io_executor ex, AuctionRunner& runner, std::chrono::milliseconds window,
          log::Logger log);

  void submit(Work work);
  // Consulted when a window closes: while it answers false the batch is dropped instead of
  // auctioned (the BBS's convergence sends its start requests again). Unset: always true.
  void set_gate(std::function<bool()> may_auction) { may_auction_ = std::move(may_auction); }
  std::size_t waiting() const { return batch_.size(); }

  // Service
  std::string name() const override { return "batcher"; }
  boost::asio::awaitable<void> run() override;
  void stop() override;

 private:
  AuctionRunner& runner_;
  std::chrono::milliseconds window_;
  log::Logger log_;
  Batch batch_;
  std::function<bool()> may_auction_;
  boost::asio::steady_timer wake_;
  bool stopping_ = false;
};

}  // namespace cupola::auctioneer
