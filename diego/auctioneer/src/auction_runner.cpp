#include "diego/auctioneer/src/auction_runner.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "diego/auctioneer/src/gather.h"

namespace cupola::auctioneer {
namespace asio = boost::asio;

namespace {

void append(Work& into, Work from) {
  for (auto& l : from.lrps) into.lrps.push_back(std::move(l));
  for (auto& t : from.tasks) into.tasks.push_back(std::move(t));
}

}  // namespace

asio::awaitable<AuctionReport> AuctionRunner::run(Work work) {
  AuctionReport report;
  Refusals refusals;
  Work pending = std::move(work);
  log_.info("auction.started", {{"lrps", pending.lrps.size()}, {"tasks", pending.tasks.size()}});
  for (int round = 1; round <= options_.max_tries && !pending.empty(); ++round) {
    auto cells = co_await bbs_.cells();
    if (!cells) {
      log_.error("auction.cells-failed", cells.error().message,
                 {{"lrps", pending.lrps.size()}, {"tasks", pending.tasks.size()}});
      report.bbs_unavailable = true;
      co_return report;
    }
    std::vector<std::string> ids;
    ids.reserve(cells->size());
    for (const auto& c : *cells) ids.push_back(c.cell_id);
    auto states = co_await fetch_states(std::move(ids), report);
    auto plan = plan_round(pending, std::move(states), refusals, options_.weights);
    auto refused = co_await perform(plan, refusals, report);
    co_await report_failures(std::move(plan), report);
    pending = std::move(refused);
  }
  if (!pending.empty()) co_await report_failures(give_up(pending), report);
  log_.info("auction.finished", {{"cells", report.placed.size()},
                                 {"failed_lrps", report.failed_lrps.size()},
                                 {"failed_tasks", report.failed_tasks.size()}});
  co_return report;
}

asio::awaitable<std::vector<auction::CellState>> AuctionRunner::fetch_states(
    std::vector<std::string> cell_ids, AuctionReport& report) {
  auto timeout = options_.rep_timeout;
  auto answers = co_await gather<std::optional<Result<CellStateReport>>>(
      ex_, cell_ids.size(),
      [this, &cell_ids,
       timeout](std::size_t i) -> asio::awaitable<std::optional<Result<CellStateReport>>> {
        co_return co_await reps_.state(cell_ids[i], timeout);
      });
  std::vector<auction::CellState> states;
  for (std::size_t i = 0; i < cell_ids.size(); ++i) {
    const auto& a = answers[i];
    if (a && *a && (*a)->cell_id == cell_ids[i]) {
      states.push_back(to_cell_state(**a));
      continue;
    }
    std::string why = !a ? "no answer" : !*a ? (*a).error().message : "reported another cell_id";
    log_.error("auction.cell-state-failed", why, {{"cell_id", cell_ids[i]}});
    if (std::find(report.skipped_cells.begin(), report.skipped_cells.end(), cell_ids[i]) ==
        report.skipped_cells.end()) {
      report.skipped_cells.push_back(cell_ids[i]);
    }
  }
  co_return states;
}

asio::awaitable<Work> AuctionRunner::perform(RoundPlan& plan, Refusals& refusals,
                                             AuctionReport& report) {
  std::vector<std::pair<std::string, Work>> offers(plan.by_cell.begin(), plan.by_cell.end());
  auto timeout = options_.rep_timeout;
  auto answers = co_await gather<std::optional<Result<Work>>>(
      ex_, offers.size(),
      [this, &offers, timeout](std::size_t i) -> asio::awaitable<std::optional<Result<Work>>> {
        co_return co_await reps_.perform(offers[i].first, offers[i].second, timeout);
      });
  Work refused;
  for (std::size_t i = 0; i < offers.size(); ++i) {
    auto& [cell_id, offered] = offers[i];
    auto& answer = answers[i];
    Work back;
    if (!answer || !*answer) {
      log_.error("auction.perform-failed", answer ? (*answer).error().message : "no answer",
                 {{"cell_id", cell_id}, {"work", offered.size()}});
      back = offered;
    } else {
      back = std::move(**answer);
    }
    Work taken;
    for (const auto& l : offered.lrps) {
      auto same = [&](const LrpWork& b) {
        return b.process_guid == l.process_guid && b.index == l.index;
      };
      if (std::none_of(back.lrps.begin(), back.lrps.end(), same)) {
        taken.lrps.push_back(l);
      }
    }
    for (const auto& t : offered.tasks) {
      auto same = [&](const TaskWork& b) { return b.task_guid == t.task_guid; };
      if (std::none_of(back.tasks.begin(), back.tasks.end(), same)) {
        taken.tasks.push_back(t);
      }
    }
    if (!back.empty()) {
      log_.info("auction.work-refused", {{"cell_id", cell_id}, {"refused", back.size()}});
      refusals.add(cell_id, back);
    }
    append(report.placed[cell_id], std::move(taken));
    append(refused, std::move(back));
  }
  co_return refused;
}

asio::awaitable<void> AuctionRunner::report_failures(RoundPlan plan, AuctionReport& report) {
  for (auto& f : plan.failed_lrps) {
    bbs::ActualLrpKey key{f.lrp.process_guid, f.lrp.index, f.lrp.domain};
    auto s = co_await bbs_.fail_actual_lrp(std::move(key), f.reason);
    if (!s) {
      log_.error("auction.fail-lrp-failed", s.error().message,
                 {{"process_guid", f.lrp.process_guid}, {"index", f.lrp.index}});
    }
    report.failed_lrps.push_back(std::move(f));
  }
  for (auto& f : plan.failed_tasks) {
    auto s = co_await bbs_.fail_task(f.task.task_guid, f.reason);
    if (!s) {
      log_.error("auction.fail-task-failed", s.error().message, {{"task_guid", f.task.task_guid}});
    }
    report.failed_tasks.push_back(std::move(f));
  }
}

}  // namespace cupola::auctioneer
