// Cells end to end: two real cupola-rep processes running apps in runc containers on the
// cupolafs stack, placed by a real auctioneer from a real BBS, over a real nats-server.
// Needs root (runc), as CI runs; skipped with a warning otherwise.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "test/integration/rep_fixture.h"

using namespace cupola;
using namespace cupola::test;
using namespace std::chrono_literals;

namespace {

std::string auctioneer_config(unsigned short port, const BbsProcess& bbs,
                              const testing::NatsServer& nats) {
  return R"({"listen_address": "127.0.0.1:)" + std::to_string(port) +
         R"(", "bbs_url": "http://127.0.0.1:)" + std::to_string(bbs.port()) +
         R"(", "nats_servers": [")" + nats.url() +
         R"("], "batch_window": "50ms", "rep_timeout": "2s", "startup_timeout": "20s"})";
}

// An app: python's HTTP server on $PORT, health-checked on it.
std::string web_lrp(const std::string& guid, int instances, int memory_mb = 64,
                    const std::string& command = "exec python3 -m http.server $PORT") {
  return R"({"desired_lrp": {"process_guid": ")" + guid +
         R"(", "domain": "cf-apps", "rootfs": "preloaded:cupolafs", "instances": )" +
         std::to_string(instances) + R"(, "memory_mb": )" + std::to_string(memory_mb) +
         R"(, "disk_mb": 64, "ports": [8080], "start_timeout_ms": 30000,
         "action": {"run": {"path": "/bin/sh", "args": ["-c", ")" +
         command + R"("],
                            "user": "vcap", "log_source": "APP/PROC/WEB"}},
         "monitor": {"run": {"path": "/bin/sh",
                             "args": ["-c", "exec /tmp/lifecycle/cupola-healthcheck --port $PORT"],
                             "user": "vcap", "log_source": "HEALTH"}}}})";
}

struct Platform {
  testing::NatsServer nats;
  unsigned short auctioneer_port = testing::free_tcp_port();
  BbsProcess bbs{nats, R"("auctioneer_url": "http://127.0.0.1:)" + std::to_string(auctioneer_port) +
                           R"(", "converge_interval": "2s", "cell_check_interval": "1s")"};
  testing::ComponentRunner auctioneer{"cupola-auctioneer", "auctioneer",
                                      auctioneer_config(auctioneer_port, bbs, nats)};
  Platform() { auctioneer.start(); }

  void desire(const std::string& body) {
    auto res = bbs.post("/v1/desired_lrps/desire", body);
    INFO(res.body());
    REQUIRE(res.result() == http::StatusCode::ok);
  }
  void remove(const std::string& guid) {
    bbs.post("/v1/desired_lrps/remove", R"({"process_guid": ")" + guid + R"("})");
  }
  // Every index of `guid` RUNNING (ordinary), `n` of them.
  bool all_running(const std::string& guid, int n) {
    auto lrps = actual_lrps(bbs, guid);
    int running = 0;
    for (const auto& a : lrps) {
      if (a.state == "RUNNING" && a.presence == "ORDINARY") ++running;
    }
    return running == n && static_cast<int>(lrps.size()) == n;
  }
};

std::string tail(const std::string& s, std::size_t n = 400000) {
  return s.size() > n ? s.substr(s.size() - n) : s;
}

bool root() {
  if (::geteuid() == 0) return true;
  WARN("not root: the cell tests need runc and are skipped");
  return false;
}

}  // namespace

TEST_CASE("cells run an app's instances, restart a crashed one, and report an OOM kill") {
  if (!root()) return;
  Platform p;
  RepProcess cell1("cell-1", 61100, p.bbs, p.nats);
  RepProcess cell2("cell-2", 61200, p.bbs, p.nats);

  p.desire(web_lrp("web", 3));
  bool running = eventually([&] { return p.all_running("web", 3); }, 60s);
  INFO(describe(actual_lrps(p.bbs, "web")) << "\ncell-1:\n"
                                           << tail(cell1.process().output()) << "\ncell-2:\n"
                                           << tail(cell2.process().output()));
  REQUIRE(running);
  auto lrps = actual_lrps(p.bbs, "web");
  INFO(describe(lrps));
  std::set<std::string> cells;
  for (const auto& a : lrps) {
    cells.insert(a.cell_id);
    CHECK(http_status(a.host_port) == 200);
  }
  CHECK(cells == std::set<std::string>{"cell-1", "cell-2"});

  // Kill one app process from the outside: the cell reports the crash, the BBS restarts it.
  auto victim = lrps.front();
  pid_t pid = pid_listening_on(victim.host_port);
  REQUIRE(pid > 0);
  ::kill(pid, SIGKILL);
  REQUIRE(eventually(
      [&] {
        for (const auto& a : actual_lrps(p.bbs, "web")) {
          if (a.index == victim.index && a.crash_count >= 1 && a.state == "RUNNING") return true;
        }
        return false;
      },
      60s));
  for (const auto& a : actual_lrps(p.bbs, "web")) {
    if (a.index != victim.index) continue;
    CHECK(a.crash_reason.find("Exited with status 137") != std::string::npos);
    CHECK(a.instance_guid != victim.instance_guid);
    CHECK(http_status(a.host_port) == 200);
  }

  // An app that outgrows its memory limit is killed, and the reason says so.
  p.desire(web_lrp("hog", 1, 64,
                   "python3 -m http.server $PORT & sleep 1; "
                   "exec python3 -c 'b = bytes(range(256)) * (1 << 20)'"));
  bool crashed = eventually(
      [&] {
        auto hog = actual_lrps(p.bbs, "hog");
        return !hog.empty() && hog[0].crash_count >= 1;
      },
      60s);
  auto hog = actual_lrps(p.bbs, "hog");
  INFO(describe(hog) << "\ncell-1:\n"
                     << tail(cell1.process().output()) << "\ncell-2:\n"
                     << tail(cell2.process().output()));
  REQUIRE(crashed);
  CHECK(hog[0].crash_reason.find("out of memory") != std::string::npos);

  p.remove("web");
  p.remove("hog");
  CHECK(eventually([&] { return actual_lrps(p.bbs, "web").empty(); }, 30s));
}
