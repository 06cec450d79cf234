#pragma once

// Controllers over the in-memory fakes, with recorders for what leaves the BBS.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "bbs/src/controllers/lrp_controller.h"
#include "bbs/src/controllers/task_controller.h"
#include "test/bbs/fakes/fake_actual_lrp_db.h"
#include "test/bbs/fakes/fake_cell_db.h"
#include "test/bbs/fakes/fake_desired_lrp_db.h"
#include "test/bbs/fakes/fake_task_db.h"

namespace cupola::bbs::test {

namespace asio = boost::asio;

struct RecordingAuctioneer final : AuctioneerClient {
  void request_lrp_auctions(std::vector<LrpStartRequest> r) override {
    for (auto& x : r) lrps.push_back(std::move(x));
  }
  void request_task_auctions(std::vector<TaskStartRequest> r) override {
    for (auto& x : r) tasks.push_back(std::move(x));
  }
  std::vector<LrpStartRequest> lrps;
  std::vector<TaskStartRequest> tasks;
};

struct RecordingReps final : RepClient {
  void stop_lrp_instance(const ActualLrp& lrp) override { stopped.push_back(lrp); }
  void cancel_task(const std::string& cell, const std::string& guid) override {
    cancelled.emplace_back(cell, guid);
  }
  std::vector<ActualLrp> stopped;
  std::vector<std::pair<std::string, std::string>> cancelled;
};

struct RecordingCompletions final : TaskCompletionSink {
  void task_completed(const Task& t) override { completed.push_back(t); }
  std::vector<Task> completed;
};

struct Harness {
  asio::io_context io;
  FakeClock clock;
  RandomGuidGenerator guids{7};
  std::shared_ptr<log::MemorySink> sink = std::make_shared<log::MemorySink>();
  log::Logger log{sink, clock, "bbs"};
  fakes::FakeActualLrpDb actual;
  fakes::FakeDesiredLrpDb desired{actual};
  fakes::FakeTaskDb tasks;
  fakes::FakeCellDb cells;
  EventHub events{io.get_executor()};
  std::shared_ptr<EventHub::Subscription> sub = events.subscribe();
  RecordingAuctioneer auctioneer;
  RecordingReps reps;
  RecordingCompletions completions;
  LrpController lrps{{desired, actual, cells, events, auctioneer, reps, clock, guids, log}};
  TaskController task_ctl{{tasks, events, auctioneer, reps, completions, clock, guids, log}};

  template <class T>
  T run(asio::awaitable<T> a) {
    auto f = asio::co_spawn(io, std::move(a), asio::use_future);
    io.restart();
    io.run();
    return f.get();
  }

  // Event types published since the last call, in order.
  std::vector<std::string> event_types() {
    std::vector<std::string> out;
    while (auto e = sub->try_next()) out.push_back(e->type);
    return out;
  }

  std::int64_t now() const { return unix_nanos(clock.now()); }
};

inline DesiredLrp web_app(std::int32_t instances = 2) {
  DesiredLrp d;
  d.process_guid = "app-1-v1";
  d.domain = "cf-apps";
  d.root_fs = "preloaded:cupolafs";
  d.instances = instances;
  d.memory_mb = 256;
  d.disk_mb = 1024;
  d.action = R"({"run":{"path":"/tmp/lifecycle/launcher"}})";
  return d;
}

}  // namespace cupola::bbs::test
