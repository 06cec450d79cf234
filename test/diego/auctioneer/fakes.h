#pragma once

// In-memory fakes for the auction runner: a BBS that lists cells and records failures, and
// reps with capacity that take work until full, refuse chosen items, or never answer.

#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "bbs/api/client/bbs_client.h"
#include "bbs/api/models/errors.h"
#include "diego/auctioneer/src/rep_client.h"

namespace cupola::auctioneer::test {

namespace asio = boost::asio;

inline Status not_used() { return make_error(Errc::Internal, "not used by the auctioneer"); }

class FakeBbsClient final : public bbs::BbsClient {
 public:
  struct LrpFailureCall {
    bbs::ActualLrpKey key;
    std::string message;
  };
  std::vector<bbs::CellPresence> cell_list;
  Status cells_error;  // returned by cells() when set to an error
  std::vector<LrpFailureCall> failed_lrps;
  std::vector<std::pair<std::string, std::string>> failed_tasks;
  int cells_calls = 0;
  // One lock, without expiry: a test takes it from the keeper by setting lock.owner.
  bbs::LockRecord lock;
  Status acquire_error;  // returned by acquire_lock() when set to an error
  int acquire_calls = 0;
  std::uint32_t last_ttl_seconds = 0;
  int release_calls = 0;

  void add_cell(const std::string& id) {
    bbs::CellPresence p;
    p.cell_id = id;
    p.rep_address = "nats";
    cell_list.push_back(p);
  }

  asio::awaitable<Result<std::vector<bbs::CellPresence>>> cells() override {
    ++cells_calls;
    if (!cells_error) co_return cells_error.error();
    co_return cell_list;
  }
  asio::awaitable<Status> fail_actual_lrp(bbs::ActualLrpKey key, std::string message) override {
    failed_lrps.push_back({std::move(key), std::move(message)});
    co_return Status{};
  }
  asio::awaitable<Status> acquire_lock(std::string key, std::string owner, std::uint32_t ttl,
                                       std::string value) override {
    ++acquire_calls;
    last_ttl_seconds = ttl;
    if (!acquire_error) co_return acquire_error.error();
    if (!lock.owner.empty() && lock.owner != owner) {
      co_return bbs::bbs_error(bbs::ErrorType::LockCollision, "lock " + key + " is held");
    }
    lock = bbs::LockRecord{std::move(key), std::move(owner), std::move(value)};
    co_return Status{};
  }
  asio::awaitable<Status> release_lock(std::string key, std::string owner) override {
    ++release_calls;
    if (lock.owner != owner) {
      co_return bbs::bbs_error(bbs::ErrorType::ResourceNotFound, "lock " + key + " not held");
    }
    lock = {};
    co_return Status{};
  }
  asio::awaitable<Result<bbs::LockRecord>> get_lock(std::string key) override {
    if (lock.owner.empty()) {
      co_return bbs::bbs_error(bbs::ErrorType::ResourceNotFound, "lock " + key + " not held");
    }
    co_return lock;
  }
  asio::awaitable<Status> fail_task(std::string guid, std::string reason) override {
    failed_tasks.emplace_back(std::move(guid), std::move(reason));
    co_return Status{};
  }

  // BbsClient calls the auctioneer never makes.
  asio::awaitable<Status> desire_lrp(bbs::DesiredLrp) override { co_return not_used(); }
  asio::awaitable<Status> update_desired_lrp(std::string, bbs::DesiredLrpUpdate) override {
    co_return not_used();
  }
  asio::awaitable<Status> remove_desired_lrp(std::string) override { co_return not_used(); }
  asio::awaitable<Result<std::vector<bbs::DesiredLrp>>> desired_lrps(
      bbs::DesiredLrpQuery) override {
    co_return not_used().error();
  }
  asio::awaitable<Result<bbs::DesiredLrp>> desired_lrp_by_process_guid(std::string) override {
    co_return not_used().error();
  }
  asio::awaitable<Result<std::vector<bbs::ActualLrp>>> actual_lrps(bbs::ActualLrpQuery) override {
    co_return not_used().error();
  }
  asio::awaitable<Status> claim_actual_lrp(std::string, std::int32_t,
                                           bbs::ActualLrpInstanceKey) override {
    co_return not_used();
  }
  asio::awaitable<Status> start_actual_lrp(bbs::ActualLrpStart) override { co_return not_used(); }
  asio::awaitable<Status> crash_actual_lrp(bbs::ActualLrpKey, bbs::ActualLrpInstanceKey,
                                           std::string) override {
    co_return not_used();
  }
  asio::awaitable<Status> remove_actual_lrp(std::string, std::int32_t,
                                            std::optional<bbs::ActualLrpInstanceKey>) override {
    co_return not_used();
  }
  asio::awaitable<Status> retire_actual_lrp(bbs::ActualLrpKey) override { co_return not_used(); }
  asio::awaitable<Result<bool>> evacuate_claimed_actual_lrp(bbs::ActualLrpKey,
                                                            bbs::ActualLrpInstanceKey) override {
    co_return not_used().error();
  }
  asio::awaitable<Result<bool>> evacuate_running_actual_lrp(bbs::ActualLrpStart) override {
    co_return not_used().error();
  }
  asio::awaitable<Result<bool>> evacuate_stopped_actual_lrp(bbs::ActualLrpKey,
                                                            bbs::ActualLrpInstanceKey) override {
    co_return not_used().error();
  }
  asio::awaitable<Result<bool>> evacuate_crashed_actual_lrp(bbs::ActualLrpKey,
                                                            bbs::ActualLrpInstanceKey,
                                                            std::string) override {
    co_return not_used().error();
  }
  asio::awaitable<Status> remove_evacuating_actual_lrp(bbs::ActualLrpKey,
                                                       bbs::ActualLrpInstanceKey) override {
    co_return not_used();
  }
  asio::awaitable<Status> desire_task(std::string, std::string, bbs::TaskDefinition) override {
    co_return not_used();
  }
  asio::awaitable<Result<bool>> start_task(std::string, std::string) override {
    co_return not_used().error();
  }
  asio::awaitable<Status> complete_task(std::string, std::string, bool, std::string,
                                        std::string) override {
    co_return not_used();
  }
  asio::awaitable<Status> reject_task(std::string, std::string) override { co_return not_used(); }
  asio::awaitable<Status> cancel_task(std::string) override { co_return not_used(); }
  asio::awaitable<Status> resolving_task(std::string) override { co_return not_used(); }
  asio::awaitable<Status> resolve_task(std::string) override { co_return not_used(); }
  asio::awaitable<Result<std::vector<bbs::Task>>> tasks(bbs::TaskQuery) override {
    co_return not_used().error();
  }
  asio::awaitable<Result<bbs::Task>> task_by_guid(std::string) override {
    co_return not_used().error();
  }
  asio::awaitable<Status> heartbeat_cell(bbs::CellPresence, std::uint32_t) override {
    co_return not_used();
  }
  asio::awaitable<Status> upsert_domain(std::string, std::uint32_t) override {
    co_return not_used();
  }
  asio::awaitable<Result<std::vector<std::string>>> domains() override {
    co_return not_used().error();
  }
  asio::awaitable<Status> subscribe_events(bbs::EventHandler,
                                           bbs::EventSubscriptionOptions) override {
    co_return not_used();
  }
};

// Cells with memory and containers: a cell takes work while it fits and refuses the rest,
// plus anything named in `refuse`. A `silent` cell never answers: its calls wait out the
// timeout on a timer and fail with Timeout, as a rep that is gone would.
class FakeReps final : public RepClient {
 public:
  struct Cell {
    CellStateReport state;
    bool silent = false;
    std::set<std::string> refuse;  // process_guid/index or task guids it will not take
    std::vector<Work> performed;   // what each perform offered
  };

  explicit FakeReps(asio::any_io_executor ex) : ex_(std::move(ex)) {}

  Cell& add(const std::string& id, std::int64_t memory_mb, std::int64_t containers,
            const std::string& zone = "z1") {
    Cell c;
    c.state.cell_id = id;
    c.state.zone = zone;
    c.state.total = {memory_mb, 100'000, containers};
    c.state.available = c.state.total;
    c.state.stacks = {"cupolafs"};
    return cells_[id] = c;
  }
  Cell& at(const std::string& id) { return cells_.at(id); }

  static std::string key(const LrpWork& l) {
    return l.process_guid + "/" + std::to_string(l.index);
  }

  asio::awaitable<Result<CellStateReport>> state(std::string cell_id,
                                                 std::chrono::milliseconds timeout) override {
    auto it = cells_.find(cell_id);
    if (it == cells_.end() || it->second.silent) co_return co_await time_out(timeout);
    co_return it->second.state;
  }

  asio::awaitable<Result<Work>> perform(std::string cell_id, Work work,
                                        std::chrono::milliseconds timeout) override {
    auto it = cells_.find(cell_id);
    if (it == cells_.end() || it->second.silent) {
      auto r = co_await time_out(timeout);
      co_return r.error();
    }
    auto& c = it->second;
    c.performed.push_back(work);
    Work refused;
    for (auto& l : work.lrps) {
      auto& a = c.state.available;
      if (c.refuse.contains(key(l)) || a.memory_mb < l.memory_mb || a.containers < 1) {
        refused.lrps.push_back(l);
        continue;
      }
      a.memory_mb -= l.memory_mb;
      a.containers -= 1;
      c.state.lrps.push_back({l.process_guid, l.index, l.memory_mb, l.disk_mb});
    }
    for (auto& t : work.tasks) {
      auto& a = c.state.available;
      if (c.refuse.contains(t.task_guid) || a.memory_mb < t.memory_mb || a.containers < 1) {
        refused.tasks.push_back(t);
        continue;
      }
      a.memory_mb -= t.memory_mb;
      a.containers -= 1;
      c.state.tasks.push_back({t.task_guid, t.memory_mb, t.disk_mb});
    }
    co_return refused;
  }

 private:
  asio::awaitable<Result<CellStateReport>> time_out(std::chrono::milliseconds timeout) {
    asio::steady_timer t(ex_, timeout);
    co_await t.async_wait(asio::use_awaitable);
    co_return make_error(Errc::Timeout, "no reply within the timeout");
  }

  asio::any_io_executor ex_;
  std::map<std::string, Cell> cells_;
};

template <class T>
T run(asio::io_context& io, asio::awaitable<T> a) {
  auto f = asio::co_spawn(io, std::move(a), asio::use_future);
  io.restart();
  io.run();
  return f.get();
}

inline LrpWork lrp(const std::string& guid, int index, int memory_mb = 128) {
  LrpWork l;
  l.process_guid = guid;
  l.domain = "cf-apps";
  l.index = index;
  l.memory_mb = memory_mb;
  l.disk_mb = 64;
  l.root_fs = "preloaded:cupolafs";
  return l;
}

inline TaskWork task(const std::string& guid, int memory_mb = 128) {
  TaskWork t;
  t.task_guid = guid;
  t.domain = "tasks";
  t.memory_mb = memory_mb;
  t.disk_mb = 64;
  t.root_fs = "preloaded:cupolafs";
  return t;
}

}  // namespace cupola::auctioneer::test
