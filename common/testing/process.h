#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace cupola::testing {

struct ProcessOptions {
  std::string path;               // executable; looked up in PATH when it has no '/'
  std::vector<std::string> args;  // not including argv[0]
  std::vector<std::pair<std::string, std::string>> env;  // added to (or replacing in) ours
  std::string working_dir;                               // empty: ours
  std::optional<uid_t> uid;                              // run as this user (we must be root)
  std::optional<gid_t> gid;
  std::string log_file;  // when set, every output line is appended here too
};

// A child process whose stdout and stderr are read line by line in the background. It gets
// SIGTERM when the thread that started it exits (PR_SET_PDEATHSIG): start long-lived
// servers from a thread that outlives them.
// The destructor stops it (SIGTERM, then SIGKILL after 10 s). Methods are thread-safe.
class Process {
 public:
  // Throws std::system_error when the process cannot be started (fork or exec failed).
  explicit Process(ProcessOptions options);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& name() const { return name_; }

  // Waits until a line (already printed or future) satisfies `match`. False on timeout or
  // when the process exits first.
  bool wait_for_line(const std::function<bool(std::string_view)>& match,
                     std::chrono::milliseconds timeout);
  // Waits for a JSON log line whose "message" is `message` (e.g. "bbs.started").
  bool wait_for_message(std::string_view message, std::chrono::milliseconds timeout);

  std::vector<std::string> lines() const;
  // The output so far, for failure messages.
  std::string output() const;

  void signal(int signo);
  // The exit status (code, or 128+signal) once it has exited within `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  bool running();
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit status.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  void read_output(int fd);
  std::optional<int> reap(bool block);

  std::string name_;
  std::string log_file_;
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::thread reader_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool eof_ = false;
};

// Where the build put the project's binaries (set by CMake for tests).
std::string binary_path(std::string_view name);

}  // namespace cupola::testing
