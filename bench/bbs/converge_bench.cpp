// converge_lrps at 100,000 LRPs: 100,000 desired LRPs of one instance each and one actual row
// per instance over 100 cells, one of which has lost its presence. Prints a table per run and
// one summary line; it never fails on timing.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "bbs/src/convergence/lrp_convergence.h"

namespace {

using cupola::bbs::ActualLrp;
using cupola::bbs::ActualLrpState;
using cupola::bbs::DesiredLrp;
using cupola::bbs::LrpConvergenceInput;

constexpr int kLrps = 100'000;
constexpr int kCells = 100;
constexpr int kRuns = 5;
constexpr std::int64_t kNow = 1'700'000'000'000'000'000;
constexpr std::int64_t kMinute = 60'000'000'000;

std::string cell_name(int c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "cell-%02d", c);
  return buf;
}

// Per 50 instances: one CRASHED (crash counts 1..10, crashed 0..19 min ago), one stale
// UNCLAIMED, one CLAIMED, the rest RUNNING. Cell 99 is missing, so 1% of the CLAIMED and
// RUNNING rows are on a lost cell.
// Like Cloud Foundry's "<app guid>-<version guid>": random-looking, so input order is not
// sorted order.
std::string process_guid(int i) {
  auto mix = [](std::uint64_t x) {  // splitmix64
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  const unsigned long long a = mix(2 * i);
  const unsigned long long b = mix(2 * i + 1);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx-%08llx", a >> 32,
                (a >> 16) & 0xffff, a & 0xffff, b >> 48, b & 0xffffffffffffULL, (a ^ b) >> 32);
  return buf;
}

LrpConvergenceInput make_input() {
  LrpConvergenceInput in;
  in.now = kNow;
  in.fresh_domains = {"cf-apps"};
  for (int c = 0; c < kCells - 1; ++c) in.live_cells.insert(cell_name(c));
  in.desired.reserve(kLrps);
  in.actual.reserve(kLrps);
  for (int i = 0; i < kLrps; ++i) {
    const std::string guid = process_guid(i);
    DesiredLrp d;
    d.process_guid = guid;
    d.domain = "cf-apps";
    d.instances = 1;
    d.memory_mb = 256;
    d.disk_mb = 1024;
    d.max_pids = 1024;
    d.root_fs = "preloaded:cupolafs";
    in.desired.push_back(d);

    ActualLrp a;
    a.key = {d.process_guid, 0, d.domain};
    a.modification_tag = {"epoch-" + d.process_guid, 3};
    a.since = kNow - 10 * kMinute;
    const std::string cell = cell_name(i % kCells);
    switch (i % 50) {
      case 7:
        a.state = ActualLrpState::Crashed;
        a.crash_count = 1 + (i / 50) % 10;
        a.since = kNow - ((i / 50) % 20) * kMinute;
        break;
      case 13:
        a.state = ActualLrpState::Unclaimed;
        break;
      case 21:
        a.state = ActualLrpState::Claimed;
        a.instance_key = {"ig-" + d.process_guid, cell};
        break;
      default:
        a.state = ActualLrpState::Running;
        a.instance_key = {"ig-" + d.process_guid, cell};
        a.net_info.address = "10.0.0.1";
        a.net_info.ports = {{8080, 61000}};
        a.routable = true;
    }
    in.actual.push_back(std::move(a));
  }
  return in;
}

}  // namespace

int main() {
  const LrpConvergenceInput input = make_input();
  std::printf("converge_lrps: %d desired, %zu actual, %zu live cells of %d\n", kLrps,
              input.actual.size(), input.live_cells.size(), kCells);
  std::printf("%-6s %10s %8s %9s %9s %7s %8s\n", "run", "ms", "changes", "creations", "deletions",
              "retires", "auctions");
  std::vector<double> times;
  (void)cupola::bbs::converge_lrps(input);  // warm-up: page in, fill the allocator
  for (int run = 1; run <= kRuns; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const auto r = cupola::bbs::converge_lrps(input);
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    times.push_back(took.count());
    std::printf("%-6d %10.1f %8zu %9zu %9zu %7zu %8zu\n", run, took.count(), r.changes.size(),
                r.creations.size(), r.deletions.size(), r.retirements.size(),
                r.start_requests.size());
  }
  std::sort(times.begin(), times.end());
  const double median = times[times.size() / 2];
  std::printf("min %.1f ms, median %.1f ms, max %.1f ms\n", times.front(), median, times.back());
  std::printf("BENCH name=bbs case=converge_pure lrps=%d ms=%.0f\n", kLrps, median);
  return 0;
}
