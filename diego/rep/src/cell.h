#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "bbs/api/client/bbs_client.h"
#include "common/core/clock.h"
#include "common/core/guid.h"
#include "common/log/log.h"
#include "diego/auctioneer/api/wire.h"
#include "diego/executor/steps/async.h"
#include "diego/garden/garden.h"
#include "diego/rep/src/ledger.h"
#include "diego/rep/src/port_pool.h"
#include "diego/rep/src/reconcile.h"
#include "diego/rep/src/step_builder.h"

namespace cupola::rep {

struct CellOptions {
  std::string cell_id;
  std::string zone;
  std::string host_address = "127.0.0.1";
  std::vector<std::string> stacks{"cupolafs"};
  std::vector<std::string> placement_tags;
  std::vector<std::string> optional_placement_tags;
  std::string lifecycle_dir;         // bind-mounted read-only at /tmp/lifecycle
  std::string scratch_dir = "/tmp";  // the rep's own temporary files
  std::uint32_t first_port = 61000;
  std::uint32_t last_port = 61999;
  std::chrono::milliseconds stop_grace{10'000};
  MonitorTiming monitor;  // start_timeout is the default for LRPs that set none
  std::chrono::milliseconds evacuation_poll{1'000};
  bool check_ports = true;  // skip host ports something else listens on
  // Called after each sample of an instance's container metrics with the previous sample
  // (empty the first time) and the time between them; on the cell's executor.
  std::function<void(const std::string& metrics_guid, std::int32_t index,
                     const garden::Metrics& now, const garden::Metrics* before,
                     std::chrono::nanoseconds elapsed)>
      on_metrics;
};

// What the rep reports of one container (GET /v1/containers).
struct ContainerReport {
  std::string guid;  // instance or task guid; the container's handle
  std::string kind;  // "lrp" or "task"
  std::string process_guid;
  std::int32_t index = 0;
  std::string phase;  // reserved, claimed, creating, starting, running, stopping
  std::vector<bbs::PortMapping> ports;
  garden::Metrics metrics;
};

// One cell's work: the auction's offers, the instances and tasks it runs, and their
// reports to the BBS. Everything runs on one executor (the rep's io_context); container
// calls go to `pool`. An instance is claimed in the BBS, given a container and host
// ports, set up, run and health-checked; it is reported RUNNING once healthy and CRASHED
// (with Cloud Foundry's reason) when its process exits or its check fails.
class Cell {
 public:
  Cell(boost::asio::any_io_executor ex, CellOptions options, auction::Resources total,
       bbs::BbsClient& bbs, garden::Backend& garden, boost::asio::thread_pool& pool,
       StepBuilder& steps, GuidGenerator& guids, const Clock& clock, log::Logger log);
  ~Cell();
  Cell(const Cell&) = delete;
  Cell& operator=(const Cell&) = delete;

  const CellOptions& options() const { return options_; }
  auctioneer::CellStateReport state() const;
  bbs::CellPresence presence() const;
  std::vector<ContainerReport> containers() const;

  // Accepts what fits and starts it; returns what it refused.
  auctioneer::Work perform(const auctioneer::Work& work);
  // The BBS asks this cell to stop an instance (diego.rep.<cell>.stop_lrp).
  void stop_lrp(const bbs::ActualLrpKey& key, const bbs::ActualLrpInstanceKey& instance_key);
  void cancel_task(const std::string& task_guid);

  // Destroys containers left from before a restart (their instances are reported crashed
  // by reconciliation or rescheduled by convergence).
  boost::asio::awaitable<void> reclaim();
  // One comparison of the BBS's view of this cell with the containers it runs.
  boost::asio::awaitable<void> reconcile_once();
  // Samples every container's metrics.
  boost::asio::awaitable<void> sample_metrics();
  // Drains the cell: takes no more work, hands each running instance over to a
  // replacement elsewhere (serving until it runs), lets tasks finish until `timeout`, then
  // stops what is left.
  boost::asio::awaitable<void> evacuate(std::chrono::milliseconds timeout);
  // Stops everything without telling the BBS (the rep is exiting) and waits for it.
  boost::asio::awaitable<void> shutdown();

  bool evacuating() const { return evacuating_; }
  std::size_t instance_count() const { return instances_.size(); }
  std::size_t task_count() const { return tasks_.size(); }

  // How a stop ends in the BBS: Remove (asked by the BBS: remove the instance), Silent
  // (the rep exits or the BBS already forgot it: nothing), Evacuated (handed over).
  enum class StopMode { None, Remove, Silent, Evacuated };
  struct Instance;
  struct TaskRun;

 private:
  boost::asio::awaitable<void> run_instance(std::shared_ptr<Instance> inst);
  boost::asio::awaitable<Status> start_container(Instance& inst, const bbs::DesiredLrp& desired);
  boost::asio::awaitable<Status> run_instance_steps(std::shared_ptr<Instance> inst,
                                                    const bbs::DesiredLrp& desired);
  boost::asio::awaitable<void> report_crash(Instance& inst, std::string reason);
  boost::asio::awaitable<void> report_running(std::shared_ptr<Instance> inst);
  boost::asio::awaitable<void> finish_instance(std::shared_ptr<Instance> inst);
  void stop_instance(Instance& inst, StopMode mode);

  boost::asio::awaitable<void> run_task(std::shared_ptr<TaskRun> task);
  boost::asio::awaitable<void> finish_task(std::shared_ptr<TaskRun> task);
  void stop_task(TaskRun& task);

  boost::asio::awaitable<bool> evacuate_instance(std::shared_ptr<Instance> inst);
  boost::asio::awaitable<void> destroy_container(const std::string& handle);
  std::int64_t now_ns() const;
  bool port_usable(std::uint32_t port) const;
  void changed() { idle_.notify(); }

  boost::asio::any_io_executor ex_;
  CellOptions options_;
  bbs::BbsClient& bbs_;
  garden::Backend& garden_;
  boost::asio::thread_pool& pool_;
  StepBuilder& steps_;
  GuidGenerator& guids_;
  const Clock& clock_;
  log::Logger log_;
  Ledger ledger_;
  PortPool ports_;
  std::map<std::string, std::shared_ptr<Instance>> instances_;  // by instance guid
  std::map<std::string, std::shared_ptr<TaskRun>> tasks_;       // by task guid
  std::map<std::string, garden::Metrics> metrics_;              // by handle
  std::chrono::steady_clock::time_point metrics_sampled_at_{};
  bool evacuating_ = false;
  Wakeup idle_;  // notified whenever an instance or task ends
};

}  // namespace cupola::rep
