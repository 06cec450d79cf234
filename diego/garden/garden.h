#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/core/result.h"

// The cell's container interface (Garden's shape, narrowed to what the executor uses).
// Backends: runc (runc_backend.h) and plain processes (process_backend.h).
//
// Every call blocks (it may spawn runc, mount, write files): call it from a thread that
// may block, never from an io_context that serves requests. Output and exit callbacks
// run on a thread of the backend's; they must be quick and thread-safe.
namespace cupola::garden {

using EnvVar = std::pair<std::string, std::string>;

struct BindMount {
  std::string host_path;
  std::string container_path;
  bool read_only = true;
};

struct Limits {
  std::uint64_t memory_bytes = 0;  // 0: unlimited
  std::uint64_t disk_bytes = 0;    // the writable layer; 0: unlimited
  std::uint64_t max_pids = 0;      // 0: unlimited
  std::uint64_t cpu_shares = 0;    // relative CPU weight (cgroup v1 shares); 0: the default
};

struct ContainerSpec {
  // Names the container; [A-Za-z0-9_.-], 1 to 128 characters; unique on the cell.
  std::string handle;
  Limits limits;
  // Given to every process run in the container, before the process's own env.
  std::vector<EnvVar> env;
  std::vector<BindMount> bind_mounts;
  // Kept with the container and returned by list(): owner, process guid, index.
  std::map<std::string, std::string> properties;
};

struct ProcessSpec {
  std::string path;  // inside the container
  std::vector<std::string> args;
  std::vector<EnvVar> env;
  std::string dir;            // working directory inside the container; empty: /home/vcap
  std::string user = "vcap";  // "vcap" (uid 2000) or "root" (uid 0, still without capabilities)
  std::string stdin_file;     // a host file to feed as stdin; empty: /dev/null
  std::uint64_t nofile = 0;   // RLIMIT_NOFILE; 0: 16384
};

// Where a process's output goes: called with chunks as they are read (not lines).
struct ProcessIO {
  std::function<void(std::string_view)> on_stdout;
  std::function<void(std::string_view)> on_stderr;
};

class Process {
 public:
  virtual ~Process() = default;
  virtual const std::string& id() const = 0;
  // Sends a signal to the process itself (not to the runtime that started it).
  virtual void signal(int signo) = 0;
  // Blocks until the process exits and its output has been delivered; returns the exit
  // status: the code, or 128 + the signal that killed it.
  virtual int wait() = 0;
  // Calls `done` once with the exit status, after the last output callback: at once, on
  // this thread, when it already exited; else on the backend's thread.
  virtual void on_exit(std::function<void(int)> done) = 0;
};

struct Metrics {
  std::uint64_t cpu_ns = 0;        // CPU time used since creation
  std::uint64_t memory_bytes = 0;  // resident, without the reclaimable page cache
  std::uint64_t memory_limit_bytes = 0;
  std::uint64_t disk_bytes = 0;  // used in the writable layer
  std::uint64_t disk_limit_bytes = 0;
  std::uint64_t oom_kills = 0;  // processes the kernel killed for exceeding the memory limit
};

class Container {
 public:
  virtual ~Container() = default;
  virtual const std::string& handle() const = 0;
  virtual const std::map<std::string, std::string>& properties() const = 0;

  // Starts a process. Failing to start is an error; a process that starts and fails is not.
  virtual Result<std::shared_ptr<Process>> run(const ProcessSpec& spec, ProcessIO io) = 0;

  // Unpacks a tar file (gzipped or not) on the host into `dir` inside the container, as
  // `user` (the files become theirs). The directory is created when missing.
  virtual Status stream_in(const std::string& tar_file, const std::string& dir,
                           const std::string& user = "vcap") = 0;
  // Copies one file out of the container to `host_file` (read as vcap).
  virtual Status copy_out(const std::string& container_file, const std::string& host_file) = 0;

  virtual Result<Metrics> metrics() = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;

  // Errors: InvalidArgument (bad handle or spec), Conflict (the handle exists), Internal
  // or Unavailable (the runtime failed; nothing is left behind).
  virtual Result<std::shared_ptr<Container>> create(const ContainerSpec& spec) = 0;
  // A container this backend created, including before a restart. NotFound when unknown.
  virtual Result<std::shared_ptr<Container>> lookup(const std::string& handle) = 0;
  // Every container on disk, with its properties: what a restarted rep finds.
  virtual Result<std::vector<std::string>> list() = 0;
  // Kills every process in it and removes it. NotFound when unknown; destroying a
  // container half created by a crash still cleans up what exists.
  virtual Status destroy(const std::string& handle) = 0;
};

// "vcap" → 2000, "root" → 0; nullopt for anything else.
std::optional<unsigned> uid_for_user(std::string_view user);

// Checks a handle: [A-Za-z0-9_.-], 1 to 128 characters, not "." or "..".
Status validate_handle(std::string_view handle);

}  // namespace cupola::garden
