// One real cell: how long a cupola-rep on the runc backend takes from accepting work (its
// rep.cell.perform line) to the instance being RUNNING in the BBS (its
// rep.cell.instance-running line, logged once the BBS took the report), for one instance at a
// time and for 50 instances of one LRP at once. The app is python's HTTP server with the port
// health check. Each number is split into its phases: claiming and creating the container,
// the container's start until its health check passed, and the report to the BBS.
// Needs root (runc); prints a note and exits 0 otherwise. It never fails on timing.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bench/cell/bench_platform.h"
#include "bench/cell/rep_timeline.h"

namespace {

namespace bench = cupola::bench;
namespace testing = cupola::testing;
namespace test = cupola::test;
using namespace std::chrono_literals;

constexpr int kOneRuns = 10;
constexpr int kFifty = 50;
constexpr auto kRunTimeout = 120s;
constexpr auto kRemoveTimeout = 30s;
constexpr double kGoalMs = 300;  // container start to healthy, for a ready droplet

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string tail(const std::string& s, std::size_t n = 8000) {
  return s.size() > n ? s.substr(s.size() - n) : s;
}

// Blocks until the rep has logged `n` instance-running lines for `process_guid`.
bool wait_running(bench::CellPlatform& p, const std::string& process_guid, int n) {
  const std::string guid_field = "\"process_guid\":\"" + process_guid + "\"";
  int seen = 0;
  return p.rep().wait_for_line(
      [&](std::string_view line) {
        if (line.find("\"rep.cell.instance-running\"") == std::string_view::npos ||
            line.find(guid_field) == std::string_view::npos) {
          return false;
        }
        return ++seen == n;
      },
      kRunTimeout);
}

// Runs `n` instances of a fresh LRP and returns their milestones; throws when they do not
// all run within kRunTimeout.
bench::RepTimeline run_lrp(bench::CellPlatform& p, const std::string& process_guid, int n) {
  const std::size_t from = p.rep().lines().size();
  p.desire(bench::web_lrp(process_guid, n), process_guid);
  if (!wait_running(p, process_guid, n)) {
    throw std::runtime_error(
        process_guid + ": not all " + std::to_string(n) + " instances RUNNING within " +
        std::to_string(std::chrono::seconds(kRunTimeout).count()) + " s\n" +
        test::describe(p.actual(process_guid)) + "rep output:\n" + tail(p.rep().output()));
  }
  auto timeline = bench::read_rep_lines(p.rep().lines(), from, process_guid);
  for (auto& inst : timeline.instances) {
    bench::read_container_log(
        testing::read_file(p.container_logs() / (inst.instance_guid + ".log")), inst);
  }
  return timeline;
}

// Instances the BBS has RUNNING whose app answers HTTP 200 on its host port.
int answering(bench::CellPlatform& p, const std::string& process_guid) {
  int ok = 0;
  for (const auto& a : p.actual(process_guid)) {
    if (a.state == "RUNNING" && test::http_status(a.host_port) == 200) ++ok;
  }
  return ok;
}

void remove_lrp(bench::CellPlatform& p, const std::string& process_guid) {
  p.remove(process_guid);
  if (!test::eventually([&] { return p.actual(process_guid).empty(); }, kRemoveTimeout)) {
    std::printf("  warning: %s still has actual LRPs %lld s after its removal\n",
                process_guid.c_str(),
                static_cast<long long>(std::chrono::seconds(kRemoveTimeout).count()));
  }
}

// Container start to healthy: from the container being created to its health check passing;
// from creation to the RUNNING report when the container log has no healthy line.
double healthy_ms(const bench::InstanceTimes& t) {
  return t.healthy_ns != 0 ? bench::ms_between(t.created_ns, t.healthy_ns)
                           : bench::ms_between(t.created_ns, t.running_ns);
}

std::string ms(double v) {
  if (v < 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

struct Series {
  std::vector<double> values;
  void add(double v) {
    if (v >= 0) values.push_back(v);
  }
  double p(double pct) const { return values.empty() ? -1 : bench::percentile(values, pct); }
};

void print_phase(const char* name, const Series& s) {
  std::printf("  %-30s p50 %6s  p95 %6s  max %6s ms\n", name, ms(s.p(50)).c_str(),
              ms(s.p(95)).c_str(), ms(s.p(100)).c_str());
}

int run_bench() {
  if (!std::filesystem::is_directory(test::stack_dir())) {
    std::fprintf(stderr,
                 "cell bench: no cupolafs stack at %s (build it with ./dev stack, or set "
                 "CUPOLA_STACK_DIR)\n",
                 test::stack_dir().c_str());
    return 1;
  }
  std::printf("starting postgres, nats-server, cupola-bbs, cupola-auctioneer and cupola-rep...\n");
  std::fflush(stdout);
  bench::CellPlatform p;

  // (a) One instance at a time, a fresh LRP each run.
  std::printf("\none instance, %d runs (ms)\n", kOneRuns);
  std::printf("%4s %10s %10s %10s %10s %10s %10s %6s\n", "run", "desire>", "perform>", "perform>",
              "created>", "monitor>", "healthy>", "HTTP");
  std::printf("%4s %10s %10s %10s %10s %10s %10s %6s\n", "", "perform", "running", "created",
              "healthy", "healthy", "running", "");
  Series one_total, one_create, one_healthy, one_check, one_report, one_desire;
  bool fallback = false;
  for (int run = 0; run < kOneRuns; ++run) {
    const std::string guid = "bench-one-" + std::to_string(run);
    const std::int64_t desired_at = now_ns();
    auto timeline = run_lrp(p, guid, 1);
    const int http = answering(p, guid);
    remove_lrp(p, guid);
    if (timeline.performs.empty() || timeline.instances.empty()) {
      throw std::runtime_error(guid + ": no perform or instance-running line in the rep's log");
    }
    const auto accepted = timeline.performs.front().at_ns;
    const auto& t = timeline.instances.front();
    fallback = fallback || t.healthy_ns == 0;
    const double total = bench::ms_between(accepted, t.running_ns);
    one_total.add(total);
    one_desire.add(bench::ms_between(desired_at, accepted));
    one_create.add(bench::ms_between(accepted, t.created_ns));
    one_healthy.add(healthy_ms(t));
    one_check.add(bench::ms_between(t.monitor_ns, t.healthy_ns));
    one_report.add(bench::ms_between(t.healthy_ns, t.running_ns));
    std::printf("%4d %10s %10s %10s %10s %10s %10s %6s\n", run + 1,
                ms(bench::ms_between(desired_at, accepted)).c_str(), ms(total).c_str(),
                ms(bench::ms_between(accepted, t.created_ns)).c_str(), ms(healthy_ms(t)).c_str(),
                ms(bench::ms_between(t.monitor_ns, t.healthy_ns)).c_str(),
                ms(bench::ms_between(t.healthy_ns, t.running_ns)).c_str(),
                http == 1 ? "200" : "no");
  }

  // (b) 50 instances of one LRP at once.
  const std::string fifty_guid = "bench-fifty";
  const std::int64_t fifty_desired_at = now_ns();
  auto fifty = run_lrp(p, fifty_guid, kFifty);
  const int fifty_http = answering(p, fifty_guid);
  remove_lrp(p, fifty_guid);
  if (fifty.performs.empty()) throw std::runtime_error("bench-fifty: no perform line");
  // The rep's perform lines carry counts, not guids: time every instance from the first.
  const auto first_perform = fifty.performs.front().at_ns;
  int refused = 0;
  for (const auto& pf : fifty.performs) refused += pf.refused;
  Series f_total, f_create, f_healthy, f_check, f_report;
  for (const auto& t : fifty.instances) {
    fallback = fallback || t.healthy_ns == 0;
    f_total.add(bench::ms_between(first_perform, t.running_ns));
    f_create.add(bench::ms_between(first_perform, t.created_ns));
    f_healthy.add(healthy_ms(t));
    f_check.add(bench::ms_between(t.monitor_ns, t.healthy_ns));
    f_report.add(bench::ms_between(t.healthy_ns, t.running_ns));
  }

  std::printf("\nwhere the time goes (ms)\n");
  std::printf(" one instance (%d runs)\n", kOneRuns);
  print_phase("desire -> perform", one_desire);
  print_phase("perform -> RUNNING", one_total);
  print_phase("perform -> container created", one_create);
  print_phase("created -> healthy", one_healthy);
  print_phase("health monitor -> healthy", one_check);
  print_phase("healthy -> RUNNING reported", one_report);
  std::printf(
      " %d instances at once (%zu perform line%s, %d refused; desire -> first perform "
      "%s ms; %d/%d answer HTTP 200)\n",
      kFifty, fifty.performs.size(), fifty.performs.size() == 1 ? "" : "s", refused,
      ms(bench::ms_between(fifty_desired_at, first_perform)).c_str(), fifty_http, kFifty);
  print_phase("first perform -> RUNNING", f_total);
  print_phase("first perform -> created", f_create);
  print_phase("created -> healthy", f_healthy);
  print_phase("health monitor -> healthy", f_check);
  print_phase("healthy -> RUNNING reported", f_report);
  if (fallback) {
    std::printf(
        " (some container logs had no \"Container became healthy\" line: their "
        "created -> healthy is created -> RUNNING)\n");
  }

  const double goal_p50 = one_healthy.p(50);
  std::printf(
      "\ngoal: container start to healthy under %.0f ms for a ready droplet: %s "
      "(one instance: p50 %s ms, p95 %s ms)\n",
      kGoalMs, goal_p50 >= 0 && goal_p50 < kGoalMs ? "met" : "not met", ms(goal_p50).c_str(),
      ms(one_healthy.p(95)).c_str());

  std::printf(
      "\nBENCH name=cell case=one instances=1 runs=%d p50_ms=%.0f p95_ms=%.0f "
      "healthy_p50_ms=%.0f\n",
      kOneRuns, one_total.p(50), one_total.p(95), goal_p50);
  std::printf("BENCH name=cell case=fifty instances=%d p50_ms=%.0f p95_ms=%.0f max_ms=%.0f\n",
              kFifty, f_total.p(50), f_total.p(95), f_total.p(100));
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main() {
  if (::geteuid() != 0) {
    std::printf("cell bench: skipped: the runc backend needs root (run it as root)\n");
    return 0;
  }
  try {
    return run_bench();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cell bench: %s\n", e.what());
    return 1;
  }
}
