#include "bench/auction/nats_case.h"

#include <algorithm>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include "bbs/api/client/bbs_client.h"
#include "common/core/clock.h"
#include "common/log/log.h"
#include "common/nats/client.h"
#include "common/testing/nats/nats_server.h"
#include "diego/auctioneer/api/wire.h"
#include "diego/auctioneer/src/auction_runner.h"
#include "diego/auctioneer/src/nats_rep_client.h"

namespace cupola::bench {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr auto kFlushTimeout = 5s;
constexpr auto kConnectFor = 10s;

class NullSink final : public log::Sink {
 public:
  void write(std::string_view) override {}
};

nats::ClientOptions client_options(const std::string& url, std::string name) {
  return {.servers = {url},
          .name = std::move(name),
          .connect_timeout = 2s,
          .connect_retry_for = kConnectFor};
}

// Runs `fn` on `io` and waits for it.
template <typename Fn>
auto on(asio::io_context& io, Fn fn) {
  return asio::co_spawn(io, std::move(fn), asio::use_future).get();
}

// What the AuctionRunner asks of the BBS: the cell list, and the failures it records.
class StandInBbs final : public bbs::BbsClient {
 public:
  std::vector<bbs::CellPresence> cell_list;
  int cells_calls = 0;
  std::size_t failed_lrps = 0;

  asio::awaitable<Result<std::vector<bbs::CellPresence>>> cells() override {
    ++cells_calls;
    co_return cell_list;
  }
  asio::awaitable<Status> fail_actual_lrp(bbs::ActualLrpKey, std::string) override {
    ++failed_lrps;
    co_return Status{};
  }
  asio::awaitable<Status> fail_task(std::string, std::string) override { co_return Status{}; }

  // Calls the AuctionRunner never makes.
  asio::awaitable<Status> desire_lrp(bbs::DesiredLrp) override { co_return unused(); }
  asio::awaitable<Status> update_desired_lrp(std::string, bbs::DesiredLrpUpdate) override {
    co_return unused();
  }
  asio::awaitable<Status> remove_desired_lrp(std::string) override { co_return unused(); }
  asio::awaitable<Result<std::vector<bbs::DesiredLrp>>> desired_lrps(
      bbs::DesiredLrpQuery) override {
    co_return unused().error();
  }
  asio::awaitable<Result<bbs::DesiredLrp>> desired_lrp_by_process_guid(std::string) override {
    co_return unused().error();
  }
  asio::awaitable<Result<std::vector<bbs::ActualLrp>>> actual_lrps(bbs::ActualLrpQuery) override {
    co_return unused().error();
  }
  asio::awaitable<Status> claim_actual_lrp(std::string, std::int32_t,
                                           bbs::ActualLrpInstanceKey) override {
    co_return unused();
  }
  asio::awaitable<Status> start_actual_lrp(bbs::ActualLrpStart) override { co_return unused(); }
  asio::awaitable<Status> crash_actual_lrp(bbs::ActualLrpKey, bbs::ActualLrpInstanceKey,
                                           std::string) override {
    co_return unused();
  }
  asio::awaitable<Status> remove_actual_lrp(std::string, std::int32_t,
                                            std::optional<bbs::ActualLrpInstanceKey>) override {
    co_return unused();
  }
  asio::awaitable<Status> retire_actual_lrp(bbs::ActualLrpKey) override { co_return unused(); }
  asio::awaitable<Result<bool>> evacuate_claimed_actual_lrp(bbs::ActualLrpKey,
                                                            bbs::ActualLrpInstanceKey) override {
    co_return unused().error();
  }
  asio::awaitable<Result<bool>> evacuate_running_actual_lrp(bbs::ActualLrpStart) override {
    co_return unused().error();
  }
  asio::awaitable<Result<bool>> evacuate_stopped_actual_lrp(bbs::ActualLrpKey,
                                                            bbs::ActualLrpInstanceKey) override {
    co_return unused().error();
  }
  asio::awaitable<Result<bool>> evacuate_crashed_actual_lrp(bbs::ActualLrpKey,
                                                            bbs::ActualLrpInstanceKey,
                                                            std::string) override {
    co_return unused().error();
  }
  asio::awaitable<Status> remove_evacuating_actual_lrp(bbs::ActualLrpKey,
                                                       bbs::ActualLrpInstanceKey) override {
    co_return unused();
  }
  asio::awaitable<Status> desire_task(std::string, std::string, bbs::TaskDefinition) override {
    co_return unused();
  }
  asio::awaitable<Result<bool>> start_task(std::string, std::string) override {
    co_return unused().error();
  }
  asio::awaitable<Status> complete_task(std::string, std::string, bool, std::string,
                                        std::string) override {
    co_return unused();
  }
  asio::awaitable<Status> reject_task(std::string, std::string) override { co_return unused(); }
  asio::awaitable<Status> cancel_task(std::string) override { co_return unused(); }
  asio::awaitable<Status> resolving_task(std::string) override { co_return unused(); }
  asio::awaitable<Status> resolve_task(std::string) override { co_return unused(); }
  asio::awaitable<Result<std::vector<bbs::Task>>> tasks(bbs::TaskQuery) override {
    co_return unused().error();
  }
  asio::awaitable<Result<bbs::Task>> task_by_guid(std::string) override {
    co_return unused().error();
  }
  asio::awaitable<Status> heartbeat_cell(bbs::CellPresence, std::uint32_t) override {
    co_return unused();
  }
  asio::awaitable<Status> upsert_domain(std::string, std::uint32_t) override { co_return unused(); }
  asio::awaitable<Result<std::vector<std::string>>> domains() override {
    co_return unused().error();
  }
  asio::awaitable<Status> acquire_lock(std::string, std::string, std::uint32_t,
                                       std::string) override {
    co_return unused();
  }
  asio::awaitable<Status> release_lock(std::string, std::string) override { co_return unused(); }
  asio::awaitable<Result<bbs::LockRecord>> get_lock(std::string) override {
    co_return unused().error();
  }
  asio::awaitable<Status> subscribe_events(bbs::EventHandler,
                                           bbs::EventSubscriptionOptions) override {
    co_return unused();
  }

 private:
  static Status unused() { return make_error(Errc::Internal, "not used by the auction runner"); }
};

// Reps on one NATS connection and a thread of their own, each answering for one SimCell:
// the state is the cell's, and a perform starts what fits and refuses the rest.
class FakeReps {
 public:
  FakeReps(const std::string& url, const std::vector<SimCell>& cells, const log::Logger& logger)
      : guard_(io_.get_executor()),
        nats_(io_.get_executor(), client_options(url, "bench-fake-reps"), logger),
        thread_([this] { io_.run(); }) {
    try {
      for (const auto& c : cells) cells_.emplace(c.id(), c);
      auto connected =
          on(io_, [this]() -> asio::awaitable<Status> { co_return co_await nats_.connect(); });
      if (!connected) throw std::runtime_error("fake reps: " + connected.error().message);
      auto subscribed = on(io_, [this]() -> asio::awaitable<Status> {
        for (const auto& [id, cell] : cells_) {
          auto state = nats_.subscribe(auctioneer::state_subject(id),
                                       [this, id](nats::Message m) { on_state(id, std::move(m)); });
          if (!state) co_return state.error();
          subscriptions_.push_back(std::move(state).value());
          auto perform =
              nats_.subscribe(auctioneer::perform_subject(id),
                              [this, id](nats::Message m) { on_perform(id, std::move(m)); });
          if (!perform) co_return perform.error();
          subscriptions_.push_back(std::move(perform).value());
        }
        co_return co_await nats_.flush(kFlushTimeout);
      });
      if (!subscribed) throw std::runtime_error("fake reps: " + subscribed.error().message);
    } catch (...) {
      stop();
      throw;
    }
  }
  ~FakeReps() { stop(); }
  FakeReps(const FakeReps&) = delete;
  FakeReps& operator=(const FakeReps&) = delete;

  void reset(const std::vector<SimCell>& cells) {
    std::lock_guard lock(mu_);
    for (const auto& c : cells) cells_.insert_or_assign(c.id(), c);
    refused_ = 0;
  }
  std::vector<SimCell> cells() {
    std::lock_guard lock(mu_);
    std::vector<SimCell> out;
    for (const auto& [id, c] : cells_) out.push_back(c);
    return out;
  }
  std::size_t refused() {
    std::lock_guard lock(mu_);
    return refused_;
  }

 private:
  void stop() {
    on(io_, [this]() -> asio::awaitable<void> {
      subscriptions_.clear();
      nats_.close();
      co_return;
    });
    guard_.reset();
    thread_.join();
  }

  void on_state(const std::string& id, nats::Message m) {
    std::string reply;
    {
      std::lock_guard lock(mu_);
      const auto s = cells_.at(id).state();
      auctioneer::CellStateReport r;
      r.cell_id = s.cell_id;
      r.zone = s.zone;
      r.total = s.total;
      r.available = s.available;
      r.stacks = s.stacks;
      r.starting_containers = s.starting_containers;
      r.lrps.reserve(s.lrps.size());
      for (const auto& l : s.lrps) r.lrps.push_back({l.process_guid, l.index, 0, 0});
      reply = auctioneer::to_json(r);
    }
    (void)nats_.respond(m, reply);
  }

  void on_perform(const std::string& id, nats::Message m) {
    auto work = auctioneer::work_from_json(m.data);
    if (!work) return;
    auctioneer::Work refused;
    {
      std::lock_guard lock(mu_);
      auto& cell = cells_.at(id);
      for (const auto& l : work->lrps) {
        const auction::Demand demand{
            .memory_mb = l.memory_mb, .disk_mb = l.disk_mb, .max_pids = l.max_pids};
        if (!cell.perform_lrp(l.process_guid, l.index, demand)) refused.lrps.push_back(l);
      }
      refused.tasks = work->tasks;
      refused_ += refused.size();
    }
    (void)nats_.respond(m, auctioneer::to_perform_reply_json(refused));
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  nats::Client nats_;
  std::vector<nats::Subscription> subscriptions_;
  std::mutex mu_;
  std::map<std::string, SimCell> cells_;
  std::size_t refused_ = 0;
  std::thread thread_;
};

auctioneer::Work to_work(const std::vector<auction::LrpStart>& lrps, std::size_t from,
                         std::size_t to) {
  auctioneer::Work w;
  for (std::size_t i = from; i < to; ++i) {
    const auto& s = lrps[i];
    for (const auto index : s.indices) {
      w.lrps.push_back({.process_guid = s.process_guid,
                        .domain = s.domain,
                        .index = index,
                        .memory_mb = static_cast<std::int32_t>(s.demand.memory_mb),
                        .disk_mb = static_cast<std::int32_t>(s.demand.disk_mb),
                        .max_pids = s.demand.max_pids,
                        .root_fs = s.constraint.root_fs,
                        .placement_tags = s.constraint.placement_tags});
    }
  }
  return w;
}

}  // namespace

struct NatsBench::Impl {
  explicit Impl(const std::vector<SimCell>& cells)
      : logger(std::make_shared<NullSink>(), clock, "bench-auction"),
        reps(server.url(), cells, logger),
        guard(io.get_executor()),
        nats(io.get_executor(), client_options(server.url(), "bench-auctioneer"), logger),
        rep_client(nats),
        runner(io.get_executor(), bbs, rep_client,
               auctioneer::AuctionRunnerOptions{.rep_timeout = 2'000ms, .max_tries = 3}, logger),
        thread([this] { io.run(); }) {
    for (const auto& c : cells) {
      bbs::CellPresence p;
      p.cell_id = c.id();
      p.rep_address = "nats";
      bbs.cell_list.push_back(std::move(p));
    }
    auto connected =
        on(io, [this]() -> asio::awaitable<Status> { co_return co_await nats.connect(); });
    if (!connected) {
      stop();
      throw std::runtime_error("auctioneer: " + connected.error().message);
    }
  }
  ~Impl() { stop(); }

  void stop() {
    if (!thread.joinable()) return;
    on(io, [this]() -> asio::awaitable<void> {
      nats.close();
      co_return;
    });
    guard.reset();
    thread.join();
  }

  testing::NatsServer server;
  SystemClock clock;
  log::Logger logger;
  FakeReps reps;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  nats::Client nats;
  auctioneer::NatsRepClient rep_client;
  StandInBbs bbs;
  auctioneer::AuctionRunner runner;
  std::thread thread;
};

NatsBench::NatsBench(const std::vector<SimCell>& cells) : impl_(std::make_unique<Impl>(cells)) {}
NatsBench::~NatsBench() = default;

NatsRunOutcome NatsBench::run(const std::vector<auction::LrpStart>& lrps, int batches,
                              const std::vector<SimCell>& cells) {
  auto& s = *impl_;
  s.reps.reset(cells);
  std::vector<auctioneer::Work> work;
  const std::size_t per = (lrps.size() + batches - 1) / std::max(batches, 1);
  for (std::size_t from = 0; from < lrps.size(); from += per) {
    work.push_back(to_work(lrps, from, std::min(lrps.size(), from + per)));
  }

  NatsRunOutcome out;
  const int calls_before = s.bbs.cells_calls;
  const std::size_t failed_before = s.bbs.failed_lrps;
  auto done = asio::co_spawn(
      s.io,
      [&s, &out, work = std::move(work)]() mutable -> asio::awaitable<void> {
        const auto start = std::chrono::steady_clock::now();
        for (auto& w : work) {
          auto report = co_await s.runner.run(std::move(w));
          for (const auto& [cell, taken] : report.placed) out.placed += taken.lrps.size();
          out.skipped += report.skipped_cells.size();
        }
        out.wall_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
      },
      asio::use_future);
  if (done.wait_for(kRunTimeout) != std::future_status::ready) {
    out.timed_out = true;
    // Requests in flight fail with Cancelled once the client is closed, and later ones at
    // once, so the runner finishes.
    asio::post(s.io, [&s] { s.nats.close(); });
  }
  done.get();
  out.rounds = s.bbs.cells_calls - calls_before;
  out.failed = s.bbs.failed_lrps - failed_before;
  out.refused = s.reps.refused();
  out.cells = s.reps.cells();
  return out;
}

}  // namespace cupola::bench
