#pragma once

// An in-memory garden::Container whose processes do what a test scripts: print, exit, react
// to signals. Exits are delivered on threads of the fake's own, as a real backend does.

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "diego/garden/garden.h"

namespace cupola::executor::test {

struct ProcessScript {
  std::vector<std::string> stdout_chunks;
  std::vector<std::string> stderr_chunks;
  // Exits at once (after its output) with this status; nullopt: runs until signalled.
  std::optional<int> exit_status = 0;
  // The status it exits with on SIGTERM; nullopt: it ignores SIGTERM.
  std::optional<int> on_sigterm = 143;
  // Survives SIGKILL too (a process the runtime lost).
  bool survives_kill = false;
  // The container's OOM kill count goes up by one when it exits.
  bool oom_killed = false;
};

class FakeContainer;

class FakeProcess final : public garden::Process {
 public:
  FakeProcess(FakeContainer& container, std::string id, ProcessScript script)
      : container_(container), id_(std::move(id)), script_(std::move(script)) {}

  // garden::Process
  const std::string& id() const override { return id_; }
  void signal(int signo) override;
  int wait() override;
  void on_exit(std::function<void(int)> done) override;

  // Ends the process with `status` (from any thread); exit callbacks run on a fake backend
  // thread.
  void exit(int status);
  std::vector<int> signals() const;
  bool exited() const;

 private:
  FakeContainer& container_;
  std::string id_;
  ProcessScript script_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<int> status_;
  std::vector<int> signals_;
  std::vector<std::function<void(int)>> on_exit_;
};

class FakeContainer final : public garden::Container {
 public:
  explicit FakeContainer(std::string handle = "container-1") : handle_(std::move(handle)) {}
  ~FakeContainer() override;

  // garden::Container
  const std::string& handle() const override { return handle_; }
  const std::map<std::string, std::string>& properties() const override { return properties_; }
  Result<std::shared_ptr<garden::Process>> run(const garden::ProcessSpec& spec,
                                               garden::ProcessIO io) override;
  Status stream_in(const std::string& tar_file, const std::string& dir,
                   const std::string& user) override;
  Status copy_out(const std::string& container_file, const std::string& host_file) override;
  Result<garden::Metrics> metrics() override;

  // What run() does for a spec; by default the process exits 0 at once.
  void set_script(std::function<ProcessScript(const garden::ProcessSpec&)> script);
  // run() fails with this error instead.
  void fail_runs(std::optional<Error> error);
  void fail_stream_in(std::optional<Error> error);
  // A file copy_out() can copy.
  void put_file(const std::string& path, std::string content);

  struct StreamIn {
    std::string tar_bytes;
    std::string dir;
    std::string user;
  };
  std::vector<garden::ProcessSpec> specs() const;
  std::vector<std::shared_ptr<FakeProcess>> processes() const;
  std::vector<StreamIn> streamed_in() const;
  std::size_t run_count() const;

  // Runs `f` on a new thread, joined when the container goes.
  void spawn(std::function<void()> f);
  void add_oom_kill();

 private:
  std::string handle_;
  std::map<std::string, std::string> properties_;
  mutable std::mutex mu_;
  std::function<ProcessScript(const garden::ProcessSpec&)> script_;
  std::optional<Error> run_error_;
  std::optional<Error> stream_in_error_;
  std::map<std::string, std::string> files_;
  std::vector<garden::ProcessSpec> specs_;
  std::vector<std::shared_ptr<FakeProcess>> processes_;
  std::vector<StreamIn> streamed_in_;
  std::uint64_t oom_kills_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace cupola::executor::test
