#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "bbs/api/models/action.h"
#include "common/log/log.h"
#include "diego/executor/log_streamer.h"
#include "diego/executor/steps/async.h"
#include "diego/executor/steps/step.h"
#include "diego/garden/garden.h"

namespace cupola::executor {

struct RunOptions {
  // After SIGTERM, how long a process may take to exit before SIGKILL.
  std::chrono::milliseconds graceful_shutdown{10'000};
  // After SIGKILL, how long to wait for the exit before giving up on the process.
  std::chrono::milliseconds exit_timeout{1'000};
  // Health checks: no "Exit status" line and an empty failure message (the check's output
  // becomes the message instead).
  bool suppress_exit_status = false;
};

// Runs a process in the container (a run action). Its output goes to `streamer` unless the
// action suppresses it; when it exits, "Exit status <n>" is written to stdout and a non-zero
// status fails the step with "<source>: Exited with status <n>" (with " (out of memory)" when
// the kernel killed a process of the container for its memory limit meanwhile).
//
// cancel() sends SIGTERM, then SIGKILL after options.graceful_shutdown; the step then fails
// with Errc::Cancelled ("exceeded graceful shutdown interval" when it took SIGKILL).
// Container calls run on `blocking`; the exit comes back to the step's executor.
class RunStep final : public Step {
 public:
  RunStep(std::shared_ptr<garden::Container> container, bbs::RunAction action,
          std::vector<garden::EnvVar> extra_env, std::shared_ptr<LogStreamer> streamer,
          boost::asio::thread_pool& blocking, RunOptions options, log::Logger logger);

  // Step
  boost::asio::awaitable<Status> perform() override;
  void cancel() override;

 private:
  struct Exit;
  garden::ProcessSpec process_spec() const;
  void signal(int signo);
  Status exited(int status, bool killed, std::uint64_t oom_kills_before);

  std::shared_ptr<garden::Container> container_;
  bbs::RunAction action_;
  std::vector<garden::EnvVar> extra_env_;
  std::shared_ptr<LogStreamer> streamer_;
  boost::asio::thread_pool& blocking_;
  RunOptions options_;
  log::Logger log_;
  std::shared_ptr<Exit> exit_;
  std::shared_ptr<garden::Process> process_;
  bool cancelled_ = false;
};

}  // namespace cupola::executor
