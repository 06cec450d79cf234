#pragma once

// Fake reps for the auctioneer's integration tests: cells on one NATS connection answering the
// auction subjects, and helpers that register them with a BBS and desire LRPs.

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
#include "diego/auctioneer/api/wire.h"
#include "test/integration/bbs_fixture.h"

namespace cupola::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

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

inline void heartbeat(BbsProcess& bbs, const FakeRepSpec& rep) {
  auto res = bbs.post("/v1/cells/heartbeat",
                      R"({"ttl_seconds": 600, "cell_presence": {"cell_id": ")" + rep.cell_id +
                          R"(", "rep_address": "nats", "zone": "z1", "capacity": {"memory_mb": )" +
                          std::to_string(rep.memory_mb) + R"(, "containers": )" +
                          std::to_string(rep.containers) + R"(}, "stacks": ["cupolafs"]}})");
  REQUIRE(res.result() == http::StatusCode::ok);
}

inline std::string desired_lrp(const std::string& guid, int instances, int memory_mb) {
  return R"({"desired_lrp": {"process_guid": ")" + guid +
         R"(", "domain": "cf-apps", "rootfs": "preloaded:cupolafs", "instances": )" +
         std::to_string(instances) + R"(, "memory_mb": )" + std::to_string(memory_mb) +
         R"(, "disk_mb": 64, "action": {"run": {"path": "/tmp/lifecycle/launcher"}}}})";
}

}  // namespace cupola::test
