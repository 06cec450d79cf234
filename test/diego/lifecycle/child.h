#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cupola::lifecycle::test {

struct ChildOptions {
  std::string path;
  std::vector<std::string> args;                         // after argv[0]
  std::optional<std::string> argv0;                      // default: path
  std::vector<std::pair<std::string, std::string>> env;  // added to, or replacing, ours
  std::vector<std::string> unset_env;                    // removed from ours
  std::string working_dir;                               // empty: ours
};

struct ChildResult {
  std::optional<int> exit_code;  // nullopt: still running at the deadline (then killed)
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};  // from start to exit
};

// A child process with stdout and stderr captured apart (the lifecycle binaries' contract
// says which stream a message goes to). Killed with its process group on destruction.
class Child {
 public:
  explicit Child(const ChildOptions& options);  // throws std::system_error
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }

  // Collects output until the child exits and its streams close, at most `timeout`; a child
  // still running then is killed and reported without an exit code.
  ChildResult wait(std::chrono::milliseconds timeout);

  // Collects output for `d`; true when the child was still running at the end.
  bool still_running_after(std::chrono::milliseconds d);

 private:
  // Reads output and reaps the child until `deadline`, or until it has exited and (when
  // `until_closed`) its streams have closed. Returns whether it has exited.
  bool pump(std::chrono::steady_clock::time_point deadline, bool until_closed);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::chrono::steady_clock::time_point started_;
  ChildResult result_;
  bool exited_ = false;
};

// Starts a child and waits for it.
ChildResult run_child(const ChildOptions& options,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace cupola::lifecycle::test
