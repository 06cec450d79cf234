#pragma once

#include "common/nats/client.h"
#include "diego/auctioneer/src/rep_client.h"

namespace cupola::auctioneer {

// RepClient over NATS request/reply: diego.rep.<cell_id>.state and diego.rep.<cell_id>.perform
// (ARCHITECTURE §3). `nats` must outlive this object; calls run on its executor.
class NatsRepClient final : public RepClient {
 public:
  explicit NatsRepClient(nats::Client& nats) : nats_(nats) {}

  // RepClient
  boost::asio::awaitable<Result<CellStateReport>> state(std::string cell_id,
                                                        std::chrono::milliseconds timeout) override;
  boost::asio::awaitable<Result<Work>> perform(std::string cell_id, Work work,
                                               std::chrono::milliseconds timeout) override;

 private:
  nats::Client& nats_;
};

}  // namespace cupola::auctioneer
