#include "diego/garden/runc/runc_container.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "diego/garden/child_process.h"
#include "diego/garden/fs_util.h"
#include "diego/garden/runc/oci_spec.h"

namespace cupola::garden {
namespace {

// A process started by `runc exec --detach`: runc exits once the process runs, and the
// process, orphaned, is reparented to this process (a child subreaper, see RuncBackend),
// which waits for it itself. A process whose children keep its output pipes open still
// ends when it exits.
class RuncProcess final : public Process {
 public:
  RuncProcess(std::string id, std::unique_ptr<ChildProcess> child)
      : id_(std::move(id)), child_(std::move(child)) {}

  const std::string& id() const override { return id_; }
  void signal(int signo) override { child_->signal(signo); }
  int wait() override { return child_->wait(); }
  void on_exit(std::function<void(int)> done) override { child_->on_exit(std::move(done)); }

 private:
  std::string id_;
  std::unique_ptr<ChildProcess> child_;
};

Error internal(std::string message) {
  return make_error(make_error_code(Errc::Internal), std::move(message));
}

// What is already in a pipe, without waiting (runc's complaint when it failed).
std::string drain(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  std::string out;
  char buf[4096];
  for (int i = 0; i < 16; ++i) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

Result<std::shared_ptr<Process>> RuncContainer::run(const ProcessSpec& spec, ProcessIO io) {
  auto uid = uid_for_user(spec.user);
  if (!uid) {
    return make_error(make_error_code(Errc::InvalidArgument),
                      "unknown user '" + spec.user + "': use vcap or root");
  }
  if (spec.path.empty()) {
    return make_error(make_error_code(Errc::InvalidArgument), "a process needs a path");
  }
  std::string id = "p" + std::to_string(next_process_.fetch_add(1) + 1) + "-" +
                   std::to_string(::getpid()) + "-" +
                   std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  std::string base = config_.dir + "/processes/" + id;
  if (auto st = write_file_atomic(base + ".json", runc::process_json(spec, config_.env, *uid));
      !st) {
    return std::move(st).error();
  }
  // runc's stdio become the process's; runc's own complaints (container gone, bad cwd)
  // come first on stderr.
  ChildSpec child;
  child.argv = {config_.runc, "--root",       config_.runc_root, "exec",        "--detach",
                "--process",  base + ".json", "--pid-file",      base + ".pid", config_.handle};
  child.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  child.stdin_file = spec.stdin_file;
  auto spawned = spawn(child);
  if (!spawned) return std::move(spawned).error();
  int runc_status = wait_for_exit(spawned->pid);
  auto pid_text = read_file(base + ".pid", 64);
  pid_t pid = pid_text ? static_cast<pid_t>(std::atoll(pid_text->c_str())) : 0;
  ::unlink((base + ".json").c_str());
  ::unlink((base + ".pid").c_str());
  if (runc_status != 0 || pid <= 0) {
    std::string why = drain(spawned->err_fd);
    ::close(spawned->out_fd);
    ::close(spawned->err_fd);
    return internal("runc could not start " + spec.path + " in container " + config_.handle +
                    " (exit status " + std::to_string(runc_status) + ")" +
                    (why.empty() ? "" : ": " + why));
  }
  auto adopted = ChildProcess::adopt(pid, spawned->out_fd, spawned->err_fd, std::move(io));
  if (!adopted) return std::move(adopted).error();
  return std::shared_ptr<Process>(std::make_shared<RuncProcess>(id, std::move(*adopted)));
}

Status RuncContainer::run_helper(const ProcessSpec& spec,
                                 const std::function<void(std::string_view)>& out,
                                 const std::string& what) {
  auto err = std::make_shared<std::string>();
  auto mu = std::make_shared<std::mutex>();
  ProcessIO io{out, [err, mu](std::string_view chunk) {
                 std::lock_guard lock(*mu);
                 if (err->size() < 4096) err->append(chunk.substr(0, 4096 - err->size()));
               }};
  auto process = run(spec, std::move(io));
  if (!process) return std::move(process).error();
  int status = (*process)->wait();
  if (status != 0) {
    std::lock_guard lock(*mu);
    while (!err->empty() && (err->back() == '\n' || err->back() == ' ')) err->pop_back();
    return internal(what + " failed (exit status " + std::to_string(status) + ")" +
                    (err->empty() ? "" : ": " + *err));
  }
  return {};
}

Status RuncContainer::stream_in(const std::string& tar_file, const std::string& dir,
                                const std::string& user) {
  // tar cannot detect compression on a pipe: look at the magic number here.
  auto head = read_file(tar_file, 2);
  if (!head) return std::move(head).error();
  bool gzipped = *head == "\x1f\x8b";
  ProcessSpec spec;
  spec.path = "/bin/sh";
  spec.args = {"-c", "mkdir -p \"$1\" && exec tar -x $2 --no-same-owner -f - -C \"$1\"",
               "stream-in", dir, gzipped ? "-z" : "--no-auto-compress"};
  spec.user = user;
  spec.dir = "/";
  spec.stdin_file = tar_file;
  return run_helper(spec, nullptr, "unpacking into " + dir);
}

Status RuncContainer::copy_out(const std::string& container_file, const std::string& host_file) {
  int fd = ::open(host_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return internal("cannot write " + host_file + ": " + std::strerror(errno));
  auto write_error = std::make_shared<int>(0);
  auto sink = [fd, write_error](std::string_view chunk) {
    while (!chunk.empty() && *write_error == 0) {
      ssize_t n = ::write(fd, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        *write_error = errno;
        return;
      }
      chunk.remove_prefix(static_cast<std::size_t>(n));
    }
  };
  ProcessSpec spec;
  spec.path = "/bin/cat";
  spec.args = {"--", container_file};
  spec.dir = "/";
  Status st = run_helper(spec, sink, "copying " + container_file + " out");
  ::close(fd);
  if (st && *write_error != 0) {
    st = internal("cannot write " + host_file + ": " + std::strerror(*write_error));
  }
  if (!st) ::unlink(host_file.c_str());
  return st;
}

Result<Metrics> RuncContainer::metrics() {
  Metrics m = read_cgroup_metrics(config_.cgroup, config_.cgroup_v2);
  m.memory_limit_bytes = config_.limits.memory_bytes;
  m.disk_limit_bytes = config_.limits.disk_bytes;
  if (!config_.layer_mount.empty()) {
    struct statvfs vfs {};
    if (::statvfs(config_.layer_mount.c_str(), &vfs) == 0) {
      m.disk_bytes = (vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize;
    }
  }
  return m;
}

}  // namespace cupola::garden
