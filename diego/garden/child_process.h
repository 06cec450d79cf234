#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/core/result.h"
#include "diego/garden/garden.h"

namespace cupola::garden {

// How to start a host process (runc itself, or an app under the process backend).
struct ChildSpec {
  std::vector<std::string> argv;  // argv[0] is the executable's path
  std::vector<std::string> env;   // "NAME=value", the whole environment
  std::string dir;                // empty: ours
  std::optional<uid_t> uid;       // switch to this uid/gid (we must be root)
  std::optional<gid_t> gid;
  std::string stdin_file;  // empty: /dev/null
  bool new_process_group = false;
};

// A started child whose stdout and stderr are read by a thread of its own and handed to
// the ProcessIO callbacks; the thread reaps it and then runs the exit callbacks. The exit
// is noticed through a pidfd, so a grandchild that keeps the pipes open does not hold it
// up. Destroying the object waits for that thread, not for the process: destroy only after
// the process exits, or after killing it.
// A started process and the read ends of its stdout and stderr pipes.
struct Spawned {
  pid_t pid = -1;
  int out_fd = -1;
  int err_fd = -1;
};
// Starts a process with stdout and stderr on new pipes; the caller owns the fds.
Result<Spawned> spawn(const ChildSpec& spec);

class ChildProcess {
 public:
  static Result<std::unique_ptr<ChildProcess>> start(const ChildSpec& spec, ProcessIO io);
  // Watches `pid`, which must be a child of this process (or have been reparented to it,
  // a child subreaper), and reads its output from `out_fd` and `err_fd` (taking them over).
  static Result<std::unique_ptr<ChildProcess>> adopt(pid_t pid, int out_fd, int err_fd,
                                                     ProcessIO io);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // The exit status once known: the code, or 128 + the signal.
  std::optional<int> exit_status() const;
  int wait();
  // Runs `done` once with the exit status: now when it already exited, else on the
  // reader thread after the last output.
  void on_exit(std::function<void(int)> done);
  void signal(int signo) const;

 private:
  ChildProcess(pid_t pid, int pidfd, int out_fd, int err_fd, ProcessIO io);
  void read_loop(int out_fd, int err_fd);

  pid_t pid_;
  int pidfd_;
  ProcessIO io_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<int> status_;
  std::vector<std::function<void(int)>> waiters_;
  std::thread reader_;
};

// Runs a command to completion, collecting its output (bounded to `max_output` bytes,
// the rest dropped). For the short helper commands: mkfs, mount, runc state.
struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr, interleaved
};
Result<CommandResult> run_command(const ChildSpec& spec, std::size_t max_output = 64 * 1024);

// Blocks until the child `pid` exits; its exit status (128 + signal when killed).
int wait_for_exit(pid_t pid);

// The environment of this process, as "NAME=value" strings.
std::vector<std::string> own_environment();

}  // namespace cupola::garden
