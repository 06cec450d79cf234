#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "diego/auctioneer/api/wire.h"

namespace cupola::auctioneer {

// How the auctioneer talks to the rep of one cell. NatsRepClient is the real one; tests hand
// in fakes. Runs on the auctioneer's executor.
//
// Errors: Timeout when the rep did not answer within `timeout`, Unavailable when it cannot be
// reached, InvalidArgument when its answer is not the wire format.
class RepClient {
 public:
  virtual ~RepClient() = default;
  virtual boost::asio::awaitable<Result<CellStateReport>> state(
      std::string cell_id, std::chrono::milliseconds timeout) = 0;
  // Offers `work` to the cell; the answer is the part it refused (empty: it took all).
  virtual boost::asio::awaitable<Result<Work>> perform(std::string cell_id, Work work,
                                                       std::chrono::milliseconds timeout) = 0;
};

}  // namespace cupola::auctioneer
