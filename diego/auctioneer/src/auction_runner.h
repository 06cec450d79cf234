#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "bbs/api/client/bbs_client.h"
#include "common/log/log.h"
#include "diego/auction/types.h"
#include "diego/auctioneer/src/plan.h"
#include "diego/auctioneer/src/rep_client.h"

namespace cupola::auctioneer {

struct AuctionRunnerOptions {
  std::chrono::milliseconds rep_timeout{2'000};  // for each state and perform request
  int max_tries = 3;                             // rounds offering the same work
  auction::Weights weights;
};

// What one batch came to.
struct AuctionReport {
  std::map<std::string, Work> placed;  // by cell: the work each cell took
  std::vector<LrpFailure> failed_lrps;
  std::vector<TaskFailure> failed_tasks;
  std::vector<std::string> skipped_cells;  // listed by the BBS but did not report a state
  bool bbs_unavailable = false;            // the cell list failed; the batch was dropped
};

// Runs the auction of one batch, in rounds of at most options.max_tries:
//  1. the live cells from the BBS; a failure drops the batch (the BBS's convergence sends
//     its start requests again);
//  2. each cell's state from its rep, all at once, each bounded by rep_timeout; a cell that
//     does not answer is skipped;
//  3. plan_round(), never offering work to a cell that refused it earlier in the batch;
//  4. each winner is sent its work, all at once; what a cell refuses (all of it when the
//     perform fails) goes into the next round.
// Work that cannot be placed is reported to the BBS: an LRP instance with fail_actual_lrp
// (its placement_error), a task with fail_task. Work refused after the last round fails with
// kRefusedByCells. Runs on `ex`, which must be the executor of the clients; `bbs` and `reps`
// must outlive every run.
class AuctionRunner {
 public:
  AuctionRunner(boost::asio::any_io_executor ex, bbs::BbsClient& bbs, RepClient& reps,
                AuctionRunnerOptions options, log::Logger log)
      : ex_(std::move(ex)),
        bbs_(bbs),
        reps_(reps),
        options_(std::move(options)),
        log_(std::move(log)) {}

  boost::asio::awaitable<AuctionReport> run(Work work);

 private:
  boost::asio::awaitable<std::vector<auction::CellState>> fetch_states(
      std::vector<std::string> cell_ids, AuctionReport& report);
  boost::asio::awaitable<Work> perform(RoundPlan& plan, Refusals& refusals, AuctionReport& report);
  boost::asio::awaitable<void> report_failures(RoundPlan plan, AuctionReport& report);

  boost::asio::any_io_executor ex_;
  bbs::BbsClient& bbs_;
  RepClient& reps_;
  AuctionRunnerOptions options_;
  log::Logger log_;
};

}  // namespace cupola::auctioneer
