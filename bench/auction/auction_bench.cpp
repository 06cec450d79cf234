// The auction simulated with in-process cells, as Diego's auction/simulation does: a cold
// start of 10,000 instances on 100 cells and of 100,000 instances on 1,000 cells, in one batch
// each. Per case it fetches the cells' states, runs auction::schedule and has the cells perform
// the placements, then prints the time taken and how evenly memory ended up spread. The first
// case is run again through the auctioneer's AuctionRunner over NATS (bench/auction/nats_case.h).
// It never fails on timing.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench/auction/nats_case.h"
#include "bench/auction/sim_cell.h"
#include "bench/auction/workload.h"
#include "diego/auction/scheduler.h"

namespace {

using cupola::auction::AuctionRequest;
using cupola::auction::AuctionResults;
using cupola::auction::CellState;
using cupola::bench::SimCell;

constexpr int kRuns = 3;

constexpr int kZones = 3;
constexpr cupola::auction::Resources kCellSize{
    .memory_mb = 64 * 1024, .disk_mb = 256 * 1024, .containers = 256};

struct Case {
  const char* name;
  std::int64_t instances;
  int cells;
  cupola::auction::Weights weights;
};

struct Outcome {
  double wall_ms = 0;
  double cpu_ms = 0;
  std::size_t placed = 0;
  std::size_t failed = 0;
  std::size_t refused = 0;  // placements a cell could not perform: an over-commit
  std::vector<SimCell> cells;
};

std::vector<SimCell> make_cells(int n) {
  std::vector<SimCell> cells;
  for (int i = 0; i < n; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "cell-%04d", i);
    cells.emplace_back(id, "z" + std::to_string(i % kZones + 1), "cflinuxfs4", kCellSize);
  }
  return cells;
}

// One auction round: fetch the states, schedule, perform.
Outcome run(const AuctionRequest& request, const Case& c) {
  Outcome out;
  out.cells = make_cells(c.cells);
  const auto wall_start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();

  std::vector<CellState> states;
  states.reserve(out.cells.size());
  for (const auto& c : out.cells) states.push_back(c.state());
  const AuctionResults results = cupola::auction::schedule(request, std::move(states), c.weights);
  std::unordered_map<std::string_view, SimCell*> by_id;
  for (auto& c : out.cells) by_id.emplace(c.id(), &c);
  for (const auto& p : results.lrps) {
    const auto& lrp = request.lrps[p.lrp];
    if (!by_id.at(p.cell_id)->perform_lrp(lrp.process_guid, p.index, lrp.demand)) ++out.refused;
  }

  out.cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  out.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_start)
          .count();
  out.placed = results.lrps.size() - out.refused;
  out.failed = results.failed_lrps.size();
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// How evenly memory ended up spread over the cells.
struct Spread {
  double mean = 0;
  double max = 0;
  double min = 0;
  double stddev = 0;
  double deviation_pct = 0;  // the largest distance from the mean, % of the mean
  std::size_t fewest = 0;    // instances on the emptiest cell
  std::size_t most = 0;
};

Spread spread_of(const std::vector<SimCell>& cells) {
  Spread s;
  std::vector<double> utilisation;
  s.fewest = SIZE_MAX;
  for (const auto& cell : cells) {
    utilisation.push_back(100.0 * static_cast<double>(cell.used().memory_mb) /
                          static_cast<double>(cell.total().memory_mb));
    s.most = std::max(s.most, cell.instances());
    s.fewest = std::min(s.fewest, cell.instances());
  }
  for (const double u : utilisation) s.mean += u;
  s.mean /= static_cast<double>(utilisation.size());
  double variance = 0;
  double deviation = 0;
  for (const double u : utilisation) {
    variance += (u - s.mean) * (u - s.mean);
    deviation = std::max(deviation, std::abs(u - s.mean));
  }
  s.stddev = std::sqrt(variance / static_cast<double>(utilisation.size()));
  const auto [lo, hi] = std::minmax_element(utilisation.begin(), utilisation.end());
  s.max = *hi;
  s.min = *lo;
  s.deviation_pct = s.mean > 0 ? 100.0 * deviation / s.mean : 0;
  return s;
}

void report(const Case& c, const AuctionRequest& request) {
  std::vector<double> walls;
  std::vector<double> cpus;
  Outcome last;
  for (int r = 0; r < kRuns; ++r) {
    last = run(request, c);
    walls.push_back(last.wall_ms);
    cpus.push_back(last.cpu_ms);
  }

  const Spread s = spread_of(last.cells);
  std::printf(
      "auction %s (starting-container weight %.2f): %lld instances (%zu apps) on %d cells in "
      "%d zones, median of %d runs\n"
      "  wall %.1f ms, cpu %.1f ms; placed %zu, failed %zu, refused by cells %zu\n"
      "  memory utilisation: mean %.2f%%, max %.2f%%, min %.2f%%, stddev %.3f points; "
      "instances per cell %zu..%zu\n",
      c.name, c.weights.starting_container, static_cast<long long>(c.instances),
      request.lrps.size(), c.cells, kZones, kRuns, median(walls), median(cpus), last.placed,
      last.failed, last.refused, s.mean, s.max, s.min, s.stddev, s.fewest, s.most);
  std::printf(
      "BENCH name=auction case=%s instances=%lld cells=%d wall_ms=%.1f spread_pct=%.2f "
      "cpu_ms=%.1f starting_weight=%.2f util_mean_pct=%.2f util_max_pct=%.2f util_min_pct=%.2f "
      "util_stddev_pct=%.3f placed=%zu failed=%zu refused=%zu\n",
      c.name, static_cast<long long>(c.instances), c.cells, median(walls), s.deviation_pct,
      median(cpus), c.weights.starting_container, s.mean, s.max, s.min, s.stddev, last.placed,
      last.failed, last.refused);
}

// The same cold start through the auctioneer's AuctionRunner, its reps reached over a private
// nats-server and answered by fake reps in this process, in kNatsBatches batches run one
// after the other. Prints a note instead when nats-server cannot be started.
constexpr int kNatsBatches = 5;

void report_nats(std::int64_t instances, int cells, const AuctionRequest& request) {
  std::vector<double> walls;
  cupola::bench::NatsRunOutcome last;
  try {
    cupola::bench::NatsBench bench(make_cells(cells));
    for (int r = 0; r < kRuns; ++r) {
      last = bench.run(request.lrps, kNatsBatches, make_cells(cells));
      walls.push_back(last.wall_ms);
      if (last.timed_out) break;
    }
  } catch (const std::exception& e) {
    std::printf("auction nats: not run: %s\n", e.what());
    return;
  }
  const Spread s = spread_of(last.cells);
  std::printf(
      "auction nats (AuctionRunner over NATS, default weights): %lld instances (%zu apps) in %d "
      "batches on %d fake reps in %d zones, median of %zu runs%s\n"
      "  wall %.1f ms, %d rounds; placed %zu, failed %zu, refused by cells %zu, cells skipped "
      "%zu\n"
      "  memory utilisation: mean %.2f%%, max %.2f%%, min %.2f%%, stddev %.3f points; "
      "instances per cell %zu..%zu\n",
      static_cast<long long>(instances), request.lrps.size(), kNatsBatches, cells, kZones,
      walls.size(), last.timed_out ? " (the last run timed out)" : "", median(walls), last.rounds,
      last.placed, last.failed, last.refused, last.skipped, s.mean, s.max, s.min, s.stddev,
      s.fewest, s.most);
  std::printf(
      "BENCH name=auction case=nats instances=%lld cells=%d wall_ms=%.1f spread_pct=%.2f "
      "rounds=%d batches=%d util_mean_pct=%.2f util_max_pct=%.2f util_min_pct=%.2f "
      "util_stddev_pct=%.3f placed=%zu failed=%zu refused=%zu skipped=%zu\n",
      static_cast<long long>(instances), cells, median(walls), s.deviation_pct, last.rounds,
      kNatsBatches, s.mean, s.max, s.min, s.stddev, last.placed, last.failed, last.refused,
      last.skipped);
}

}  // namespace

int main() {
  // "sim" uses Diego's default weights. In one cold-start batch every placement is still
  // starting, so the starting-container weight (0.25 per start) outweighs the resource
  // fractions (about 0.005 per instance here): cells end up with equal instance counts rather
  // than equal memory. "sim_resources_only" scores by the resource fractions alone.
  const cupola::auction::Weights diego{};
  const cupola::auction::Weights resources_only{.starting_container = 0.0};
  for (const auto& [instances, cells] : {std::pair{10'000, 100}, std::pair{100'000, 1'000}}) {
    const AuctionRequest request{.lrps = cupola::bench::cold_start(instances, 42)};
    report({"sim", instances, cells, diego}, request);
    report({"sim_resources_only", instances, cells, resources_only}, request);
  }
  {
    const AuctionRequest request{.lrps = cupola::bench::cold_start(10'000, 42)};
    report_nats(10'000, 100, request);
  }
  return 0;
}
