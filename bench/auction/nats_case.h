#pragma once

// The auction over NATS: a private nats-server, fake reps in this process answering
// diego.rep.<cell_id>.state and .perform for SimCells, and the auctioneer's real AuctionRunner
// with NatsRepClient and an in-memory stand-in for the BBS.

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

#include "bench/auction/sim_cell.h"
#include "diego/auction/types.h"

namespace cupola::bench {

struct NatsRunOutcome {
  double wall_ms = 0;
  int rounds = 0;           // auction rounds over all batches
  std::size_t placed = 0;   // instances the cells took
  std::size_t failed = 0;   // instances reported to the BBS as not placeable
  std::size_t refused = 0;  // offers a cell refused because they did not fit
  std::size_t skipped = 0;  // cells that did not report a state, summed over batches
  bool timed_out = false;   // the run did not finish within NatsBench::kRunTimeout
  std::vector<SimCell> cells;
};

class NatsBench {
 public:
  // Starts nats-server and the reps for `cells` and connects the auctioneer's client. Throws
  // std::runtime_error when any of that fails.
  explicit NatsBench(const std::vector<SimCell>& cells);
  ~NatsBench();
  NatsBench(const NatsBench&) = delete;
  NatsBench& operator=(const NatsBench&) = delete;

  // Gives every rep a fresh cell from `cells` (the same ids as at construction), then runs the
  // auction of `lrps` split into `batches` batches, one after the other, as the auctioneer's
  // batcher hands them to the runner.
  NatsRunOutcome run(const std::vector<auction::LrpStart>& lrps, int batches,
                     const std::vector<SimCell>& cells);

  static constexpr std::chrono::seconds kRunTimeout{300};

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cupola::bench
