// Cells end to end: two real cupola-rep processes running apps in runc containers on the
// cupolafs stack, placed by a real auctioneer from a real BBS, over a real nats-server.
// Needs root (runc), as CI runs; skipped with a warning otherwise.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "loggregator/api/codec.h"
#include "test/integration/nats_peer.h"
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
// `extra`: more members of the desired LRP.
std::string web_lrp(const std::string& guid, int instances, int memory_mb = 64,
                    const std::string& command = "exec python3 -m http.server $PORT",
                    const std::string& extra = "") {
  return R"({"desired_lrp": {)" + (extra.empty() ? "" : extra + ", ") + R"("process_guid": ")" +
         guid + R"(", "domain": "cf-apps", "rootfs": "preloaded:cupolafs", "instances": )" +
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

std::string tail(const std::string& s, std::size_t n = 6000) {
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

TEST_CASE("a cell that dies loses its instances to the other; restarted, it clears its leftovers") {
  if (!root()) return;
  Platform p;
  RepProcess cell1("cell-1", 61300, p.bbs, p.nats);
  RepProcess cell2("cell-2", 61400, p.bbs, p.nats);
  p.desire(web_lrp("web", 2));
  REQUIRE(eventually([&] { return p.all_running("web", 2); }, 60s));
  std::vector<unsigned short> lost;
  for (const auto& a : actual_lrps(p.bbs, "web")) {
    if (a.cell_id == "cell-1") lost.push_back(a.host_port);
  }
  REQUIRE_FALSE(lost.empty());

  cell1.kill();
  bool moved = eventually(
      [&] {
        if (!p.all_running("web", 2)) return false;
        for (const auto& a : actual_lrps(p.bbs, "web")) {
          if (a.cell_id != "cell-2") return false;
        }
        return true;
      },
      60s);
  INFO(describe(actual_lrps(p.bbs, "web")));
  REQUIRE(moved);
  for (const auto& a : actual_lrps(p.bbs, "web")) CHECK(http_status(a.host_port) == 200);

  // The dead rep's containers outlived it (their output has nowhere to go, so they may
  // no longer answer); started again on its depot, the rep destroys them.
  for (auto port : lost) CHECK(pid_listening_on(port) != 0);
  cell1.start();
  for (auto port : lost) {
    CHECK(eventually([&] { return pid_listening_on(port) == 0; }, 20s));
  }
  p.remove("web");
  CHECK(eventually([&] { return actual_lrps(p.bbs, "web").empty(); }, 30s));
}

TEST_CASE("a rep's containers go with its depot when the test is done with it") {
  if (!root()) return;
  Platform p;
  std::vector<unsigned short> ports;
  {
    RepProcess cell("cell-1", 61300, p.bbs, p.nats);
    p.desire(web_lrp("web", 1));
    REQUIRE(eventually([&] { return p.all_running("web", 1); }, 60s));
    for (const auto& a : actual_lrps(p.bbs, "web")) ports.push_back(a.host_port);
    REQUIRE(ports.size() == 1);
    // A killed rep destroys nothing; its container runs on.
    cell.kill();
    CHECK(pid_listening_on(ports[0]) != 0);
  }
  CHECK(eventually([&] { return pid_listening_on(ports[0]) == 0; }, 10s));
  p.remove("web");
}

TEST_CASE("SIGTERM evacuates a cell: the app answers throughout and moves to the other cell") {
  if (!root()) return;
  Platform p;
  RepProcess cell1("cell-1", 61300, p.bbs, p.nats);
  RepProcess cell2("cell-2", 61400, p.bbs, p.nats);
  p.desire(web_lrp("web", 1));
  REQUIRE(eventually([&] { return p.all_running("web", 1); }, 60s));
  auto before = actual_lrps(p.bbs, "web").front();
  RepProcess& leaving = before.cell_id == "cell-1" ? cell1 : cell2;
  std::string staying = before.cell_id == "cell-1" ? "cell-2" : "cell-1";

  leaving.process().signal(SIGTERM);
  // As a router would: every RUNNING copy is a backend, tried in turn (ORDINARY first).
  int requests = 0, failures = 0;
  bool handed_over = false;
  auto deadline = std::chrono::steady_clock::now() + 90s;
  while (std::chrono::steady_clock::now() < deadline && requests < 5000) {
    auto lrps = actual_lrps(p.bbs, "web");
    std::stable_sort(lrps.begin(), lrps.end(),
                     [](const auto& a, const auto& b) { return a.presence < b.presence; });
    bool any = false, ok = false;
    for (const auto& a : lrps) {
      if (a.state != "RUNNING") continue;
      any = true;
      if (http_status(a.host_port, "/", 1s) == 200) {
        ok = true;
        break;
      }
    }
    ++requests;
    if (!ok) ++failures;
    INFO("no RUNNING copy at request " << requests << ":\n" << describe(lrps));
    CHECK(any);
    handed_over = lrps.size() == 1 && lrps[0].cell_id == staying && lrps[0].state == "RUNNING" &&
                  !leaving.process().running();
    if (handed_over) break;
    std::this_thread::sleep_for(20ms);  // request pacing; the deadline bounds the loop
  }
  INFO(describe(actual_lrps(p.bbs, "web")));
  CHECK(handed_over);
  CHECK(requests > 5);
  CHECK(failures == 0);
  CHECK(leaving.process().wait(5s) == 0);
  p.remove("web");
  CHECK(eventually([&] { return actual_lrps(p.bbs, "web").empty(); }, 30s));
}

TEST_CASE("a task runs once in a container and its result reaches the completion callback") {
  if (!root()) return;
  Platform p;
  RepProcess cell1("cell-1", 61300, p.bbs, p.nats);
  CallbackServer callback;
  auto desire_task = [&](const std::string& guid, const std::string& script) {
    auto res = p.bbs.post("/v1/tasks/desire", R"({"task_guid": ")" + guid +
                                                  R"(", "domain": "cf-tasks", "task_definition": {
        "rootfs": "preloaded:cupolafs", "memory_mb": 64, "disk_mb": 64,
        "result_file": "/home/vcap/result.txt", "completion_callback_url": ")" +
                                                  callback.url() + R"(",
        "action": {"run": {"path": "/bin/sh", "args": ["-c", ")" +
                                                  script + R"("], "user": "vcap"}}}})");
    INFO(res.body());
    REQUIRE(res.result() == http::StatusCode::ok);
  };
  desire_task("task-ok", "id -un > /home/vcap/result.txt");
  desire_task("task-fails", "echo no >&2; exit 3");
  REQUIRE(eventually([&] { return callback.bodies().size() >= 2; }, 60s));
  std::this_thread::sleep_for(1s);  // a second callback for a task would come now
  auto bodies = callback.bodies();
  REQUIRE(bodies.size() == 2);
  std::map<std::string, json::Document> by_guid;
  for (const auto& b : bodies) {
    auto doc = json::parse(b);
    REQUIRE(doc.ok());
    std::string guid = (*doc)["task_guid"].GetString();
    by_guid.emplace(guid, std::move(*doc));
  }
  REQUIRE(by_guid.contains("task-ok"));
  REQUIRE(by_guid.contains("task-fails"));
  CHECK_FALSE(by_guid["task-ok"]["failed"].GetBool());
  CHECK(std::string(by_guid["task-ok"]["result"].GetString()) == "vcap\n");
  CHECK(by_guid["task-fails"]["failed"].GetBool());
  CHECK(std::string(by_guid["task-fails"]["failure_reason"].GetString())
            .find("Exited with status 3") != std::string::npos);
}

TEST_CASE("without root, the process backend runs the same app as plain processes") {
  Platform p;
  RepProcess cell("cell-p", 61450, p.bbs, p.nats, "process");
  p.desire(web_lrp("web", 1));
  bool running = eventually([&] { return p.all_running("web", 1); }, 60s);
  INFO(describe(actual_lrps(p.bbs, "web")) << "\n" << tail(cell.process().output()));
  REQUIRE(running);
  CHECK(http_status(actual_lrps(p.bbs, "web").front().host_port) == 200);
  p.remove("web");
  CHECK(eventually([&] { return actual_lrps(p.bbs, "web").empty(); }, 30s));
}

TEST_CASE("an app's output reaches its logs on NATS, held to its log rate limit") {
  Platform p;
  RepProcess cell("cell-p", 61470, p.bbs, p.nats, "process");
  std::mutex mu;
  std::vector<loggregator::Envelope> received;
  test::NatsPeer logs(p.nats.url(), "log-store");
  logs.subscribe("logs.>", [&](nats::Message m) {
    auto batch = loggregator::decode_batch(m.data);
    std::lock_guard lock(mu);
    if (batch) received.insert(received.end(), batch->begin(), batch->end());
  });
  auto lines_of = [&](const std::string& source_id, const std::string& type) {
    std::lock_guard lock(mu);
    std::vector<std::string> out;
    for (const auto& e : received) {
      if (e.source_id == source_id && e.log() && e.tags.at("source_type") == type) {
        out.push_back(e.log()->payload);
      }
    }
    return out;
  };
  auto has = [](const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(text) != std::string::npos; });
  };

  p.desire(web_lrp("talker", 1, 64,
                   "echo hello from the app; echo oops >&2; exec python3 -m http.server $PORT",
                   R"("log_guid": "talker-app")"));
  REQUIRE(eventually([&] { return p.all_running("talker", 1); }, 60s));
  CHECK(http_status(actual_lrps(p.bbs, "talker").front().host_port) == 200);
  // python's server logs each request on stderr: that line arrives as ERR too.
  CHECK(eventually([&] { return has(lines_of("talker-app", "APP/PROC/WEB"), "GET / "); }, 10s));
  auto app = lines_of("talker-app", "APP/PROC/WEB");
  CHECK(has(app, "hello from the app"));
  CHECK(has(app, "oops"));
  {
    std::lock_guard lock(mu);
    for (const auto& e : received) {
      if (e.source_id != "talker-app" || !e.log()) continue;
      CHECK(e.instance_id == "0");
      if (e.log()->payload == "oops") CHECK(e.log()->type == loggregator::LogType::Err);
      if (e.log()->payload == "hello from the app")
        CHECK(e.log()->type == loggregator::LogType::Out);
    }
  }

  // Its container metrics arrive as gauges: memory in use and the quota.
  CHECK(eventually(
      [&] {
        std::lock_guard lock(mu);
        for (const auto& e : received) {
          const auto* g = e.gauge();
          if (e.source_id != "talker-app" || g == nullptr || e.instance_id != "0") continue;
          if (g->metrics.count("memory") && g->metrics.at("memory").value > 0 &&
              g->metrics.at("memory_quota").value == 64.0 * 1024 * 1024 &&
              g->metrics.count("cpu")) {
            return true;
          }
        }
        return false;
      },
      10s));

  // 1,000 lines of 40 bytes at once against a limit of 200 bytes a second.
  p.desire(web_lrp("flood", 1, 64,
                   "for i in $(seq 1 1000); do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxx; done; "
                   "exec python3 -m http.server $PORT",
                   R"("log_guid": "flood-app", "log_rate_limit": {"bytes_per_second": 200})"));
  REQUIRE(eventually([&] { return p.all_running("flood", 1); }, 60s));
  CHECK(eventually(
      [&] {
        return has(lines_of("flood-app", "APP/PROC/WEB"),
                   "app instance exceeded log rate limit (200 bytes/sec)");
      },
      10s));
  CHECK(lines_of("flood-app", "APP/PROC/WEB").size() < 50);
  p.remove("talker");
  p.remove("flood");
  CHECK(eventually([&] { return actual_lrps(p.bbs, "talker").empty(); }, 30s));
}
