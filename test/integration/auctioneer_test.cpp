// cupola-auctioneer end to end: a real cupola-bbs (posting start requests to the auctioneer), a
// real nats-server, and fake reps in this process answering the auction subjects on NATS.

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include "common/core/clock.h"
#include "common/nats/client.h"
#include "common/testing/temp_dir.h"
#include "diego/auctioneer/api/wire.h"
#include "test/integration/bbs_fixture.h"

using namespace cupola;
using cupola::test::BbsProcess;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

struct FakeRepSpec {
  std::string cell_id;
  std::int64_t memory_mb = 0;
  std::int64_t containers = 0;
  bool silent = false;                 // subscribed, never replies
  std::set<std::string> refuse_guids;  // process guids whose instances it refuses
};

// Reps on one NATS connection, on their own thread. What they took is read under the lock.
class FakeReps {
 public:
  explicit FakeReps(const std::string& nats_url)
      : logger_(std::make_shared<log::MemorySink>(), clock_, "fake-reps"),
        guard_(io_.get_executor()),
        nats_(io_.get_executor(), nats::ClientOptions{.servers = {nats_url}, .name = "fake-reps"},
              logger_),
        thread_([this] { io_.run(); }) {
    auto connected = asio::co_spawn(io_, nats_.connect(), asio::use_future).get();
    if (!connected) throw std::runtime_error(connected.error().message);
  }
  ~FakeReps() {
    asio::co_spawn(
        io_,
        [this]() -> asio::awaitable<void> {
          subscriptions_.clear();
          nats_.close();
          co_return;
        },
        asio::use_future)
        .get();
    guard_.reset();
    thread_.join();
  }

  void add(FakeRepSpec spec) {
    asio::co_spawn(
        io_,
        [this, spec]() -> asio::awaitable<void> {
          {
            std::lock_guard lock(mu_);
            auto& r = reps_[spec.cell_id];
            r.spec = spec;
          }
          auto state = nats_.subscribe(
              auctioneer::state_subject(spec.cell_id),
              [this, id = spec.cell_id](nats::Message m) { on_state(id, std::move(m)); });
          auto perform = nats_.subscribe(
              auctioneer::perform_subject(spec.cell_id),
              [this, id = spec.cell_id](nats::Message m) { on_perform(id, std::move(m)); });
          if (!state || !perform) throw std::runtime_error("subscribe failed");
          subscriptions_.push_back(std::move(state).value());
          subscriptions_.push_back(std::move(perform).value());
          auto flushed = co_await nats_.flush(5s);
          if (!flushed) throw std::runtime_error(flushed.error().message);
        },
        asio::use_future)
        .get();
  }

  // Instances (guid/index) each rep took.
  std::map<std::string, std::set<std::string>> taken() {
    std::lock_guard lock(mu_);
    std::map<std::string, std::set<std::string>> out;
    for (const auto& [id, r] : reps_) out[id] = r.instances;
    return out;
  }
  std::int64_t memory_used(const std::string& id) {
    std::lock_guard lock(mu_);
    return reps_.at(id).memory_used;
  }
  int state_requests(const std::string& id) {
    std::lock_guard lock(mu_);
    return reps_.at(id).state_requests;
  }
  std::set<std::string> offered(const std::string& id) {
    std::lock_guard lock(mu_);
    return reps_.at(id).offered;
  }

  // Waits until `done` holds (checked whenever a rep takes work), at most `timeout`.
  bool wait(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, done);
  }
  std::size_t total_taken_locked(const std::string& prefix) {
    std::size_t n = 0;
    for (const auto& [id, r] : reps_) {
      for (const auto& i : r.instances) n += i.starts_with(prefix) ? 1 : 0;
    }
    return n;
  }

 private:
  struct Rep {
    FakeRepSpec spec;
    std::set<std::string> instances;
    std::set<std::string> offered;
    std::int64_t memory_used = 0;
    std::vector<auctioneer::CellStateLrp> lrps;
    int state_requests = 0;
  };

  void on_state(const std::string& id, nats::Message m) {
    std::string reply;
    {
      std::lock_guard lock(mu_);
      auto& r = reps_.at(id);
      ++r.state_requests;
      if (r.spec.silent) return;
      auctioneer::CellStateReport s;
      s.cell_id = id;
      s.zone = "z1";
      s.total = {r.spec.memory_mb, 100'000, r.spec.containers};
      s.available = {r.spec.memory_mb - r.memory_used, 100'000 - 64 * std::int64_t(r.lrps.size()),
                     r.spec.containers - std::int64_t(r.lrps.size())};
      s.lrps = r.lrps;
      s.stacks = {"cupolafs"};
      reply = auctioneer::to_json(s);
    }
    (void)nats_.respond(m, reply);
  }

  void on_perform(const std::string& id, nats::Message m) {
    auto work = auctioneer::work_from_json(m.data);
    if (!work) return;
    auctioneer::Work refused;
    {
      std::lock_guard lock(mu_);
      auto& r = reps_.at(id);
      if (r.spec.silent) return;
      for (const auto& l : work->lrps) {
        auto key = l.process_guid + "/" + std::to_string(l.index);
        r.offered.insert(key);
        if (r.instances.contains(key)) continue;
        bool fits = r.memory_used + l.memory_mb <= r.spec.memory_mb &&
                    std::int64_t(r.lrps.size()) < r.spec.containers;
        if (!fits || r.spec.refuse_guids.contains(l.process_guid)) {
          refused.lrps.push_back(l);
          continue;
        }
        r.instances.insert(key);
        r.memory_used += l.memory_mb;
        r.lrps.push_back({l.process_guid, l.index, l.memory_mb, l.disk_mb});
      }
      refused.tasks = work->tasks;
    }
    changed_.notify_all();
    (void)nats_.respond(m, auctioneer::to_perform_reply_json(refused));
  }

  SystemClock clock_;
  log::Logger logger_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  nats::Client nats_;
  std::vector<nats::Subscription> subscriptions_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, Rep> reps_;
  std::thread thread_;
};

void heartbeat(BbsProcess& bbs, const FakeRepSpec& rep) {
  auto res = bbs.post("/v1/cells/heartbeat",
                      R"({"ttl_seconds": 600, "cell_presence": {"cell_id": ")" + rep.cell_id +
                          R"(", "rep_address": "nats", "zone": "z1", "capacity": {"memory_mb": )" +
                          std::to_string(rep.memory_mb) + R"(, "containers": )" +
                          std::to_string(rep.containers) + R"(}, "stacks": ["cupolafs"]}})");
  REQUIRE(res.result() == http::StatusCode::ok);
}

std::string desired_lrp(const std::string& guid, int instances, int memory_mb) {
  return R"({"desired_lrp": {"process_guid": ")" + guid +
         R"(", "domain": "cf-apps", "rootfs": "preloaded:cupolafs", "instances": )" +
         std::to_string(instances) + R"(, "memory_mb": )" + std::to_string(memory_mb) +
         R"(, "disk_mb": 64, "action": {"run": {"path": "/tmp/lifecycle/launcher"}}}})";
}

// The placement error of (guid, index) once the BBS has one, polling until `timeout`.
std::string wait_for_placement_error(BbsProcess& bbs, const std::string& guid,
                                     std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto list = bbs.post_json("/v1/actual_lrps/list", R"({"process_guid": ")" + guid + R"("})");
    if (list.HasMember("actual_lrps") && list["actual_lrps"].Size() == 1 &&
        list["actual_lrps"][0].HasMember("placement_error")) {
      return list["actual_lrps"][0]["placement_error"].GetString();
    }
    std::this_thread::sleep_for(50ms);  // polling interval; the deadline bounds the wait
  }
  return "";
}

}  // namespace

TEST_CASE("the auctioneer places a BBS's start requests on the reps") {
  testing::NatsServer nats;
  auto auctioneer_port = testing::free_tcp_port();
  BbsProcess bbs(
      nats, R"("auctioneer_url": "http://127.0.0.1:)" + std::to_string(auctioneer_port) + "\"");
  testing::ComponentRunner auctioneer(
      "cupola-auctioneer", "auctioneer",
      R"({"listen_address": "127.0.0.1:)" + std::to_string(auctioneer_port) +
          R"(", "bbs_url": "http://127.0.0.1:)" + std::to_string(bbs.port()) +
          R"(", "nats_servers": [")" + nats.url() +
          R"("], "batch_window": "100ms", "rep_timeout": "500ms", "startup_timeout": "20s"})");
  auctioneer.start();

  FakeReps reps(nats.url());
  std::vector<FakeRepSpec> specs{{"rep-1", 128 * 40, 40},
                                 {"rep-2", 128 * 40, 40},
                                 {"rep-3", 128 * 30, 30},
                                 {"rep-silent", 1 << 20, 1000, true}};
  for (const auto& s : specs) {
    reps.add(s);
    heartbeat(bbs, s);
  }

  // 100 instances over 110 containers, with a registered rep that never answers.
  REQUIRE(bbs.post("/v1/desired_lrps/desire", desired_lrp("app-100", 100, 128)).result() ==
          http::StatusCode::ok);
  bool all = reps.wait([&] { return reps.total_taken_locked("app-100/") == 100; }, 20s);
  auto taken = reps.taken();
  INFO("rep-1 " << taken["rep-1"].size() << ", rep-2 " << taken["rep-2"].size() << ", rep-3 "
                << taken["rep-3"].size());
  REQUIRE(all);
  std::set<std::string> every;
  for (const auto& [id, instances] : taken) every.insert(instances.begin(), instances.end());
  CHECK(every.size() == 100);
  CHECK(taken["rep-1"].size() <= 40);
  CHECK(taken["rep-2"].size() <= 40);
  CHECK(taken["rep-3"].size() <= 30);
  CHECK(reps.memory_used("rep-1") <= 128 * 40);
  CHECK(reps.memory_used("rep-3") <= 128 * 30);
  // The silent rep was asked for its state and skipped.
  CHECK(reps.state_requests("rep-silent") >= 1);
  CHECK(reps.offered("rep-silent").empty());
  CHECK(taken["rep-silent"].empty());

  // An empty rep wins the next instance and refuses it: another rep takes it.
  FakeRepSpec picky{"rep-picky", 128 * 100, 100, false, {"app-refused"}};
  reps.add(picky);
  heartbeat(bbs, picky);
  REQUIRE(bbs.post("/v1/desired_lrps/desire", desired_lrp("app-refused", 1, 128)).result() ==
          http::StatusCode::ok);
  REQUIRE(reps.wait([&] { return reps.total_taken_locked("app-refused/") == 1; }, 20s));
  CHECK(reps.offered("rep-picky").contains("app-refused/0"));
  CHECK(reps.taken()["rep-picky"].empty());

  // Too big for every rep: the BBS records why.
  REQUIRE(bbs.post("/v1/desired_lrps/desire", desired_lrp("app-big", 1, 1 << 16)).result() ==
          http::StatusCode::ok);
  CHECK(wait_for_placement_error(bbs, "app-big", 20s) == "insufficient resources: memory");

  SECTION("a malformed start request gets 400 naming the problem") {
    http::test::BlockingClient client(auctioneer_port);
    http::Request req{http::Verb::post, "/v1/lrps", 11};
    req.set(http::bhttp::field::content_type, "application/json");
    req.body() = R"({"lrps": [{"index": -1}]})";
    auto res = client.request(std::move(req));
    CHECK(res.result() == http::StatusCode::bad_request);
    CHECK(res.body().find("process_guid: is required") != std::string::npos);
    CHECK(res.body().find("InvalidRequest") != std::string::npos);
  }
}
