#include "diego/garden/child_process.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace cupola::garden {
namespace {

Error errno_error(const std::string& what, int err) {
  return make_error(make_error_code(Errc::Internal), what + ": " + std::strerror(err));
}

int status_of(int wstatus) {
  if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) return 128 + WTERMSIG(wstatus);
  return 255;
}

[[noreturn]] void child_fail(int err_fd, int err) {
  (void)!write(err_fd, &err, sizeof err);
  _exit(127);
}

}  // namespace

std::vector<std::string> own_environment() {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  return env;
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::start(const ChildSpec& spec, ProcessIO io) {
  auto spawned = spawn(spec);
  if (!spawned) return std::move(spawned).error();
  return adopt(spawned->pid, spawned->out_fd, spawned->err_fd, std::move(io));
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::adopt(pid_t pid, int out_fd, int err_fd,
                                                          ProcessIO io) {
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    int e = errno;
    ::kill(pid, SIGKILL);
    int ws = 0;
    ::waitpid(pid, &ws, 0);
    ::close(out_fd);
    ::close(err_fd);
    return errno_error("pidfd_open failed", e);
  }
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, pidfd, out_fd, err_fd, std::move(io)));
}

Result<Spawned> spawn(const ChildSpec& spec) {
  if (spec.argv.empty()) {
    return make_error(make_error_code(Errc::InvalidArgument), "no command to run");
  }
  // Everything the child needs is prepared before fork: after it, only async-signal-safe
  // calls are allowed in a threaded process.
  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const char* stdin_path = spec.stdin_file.empty() ? "/dev/null" : spec.stdin_file.c_str();

  int in_fd = ::open(stdin_path, O_RDONLY | O_CLOEXEC);
  if (in_fd < 0) return errno_error("cannot open " + std::string(stdin_path), errno);
  std::array<int, 2> out{-1, -1}, err{-1, -1}, status{-1, -1};
  if (pipe2(out.data(), O_CLOEXEC) != 0 || pipe2(err.data(), O_CLOEXEC) != 0 ||
      pipe2(status.data(), O_CLOEXEC) != 0) {
    int e = errno;
    for (int fd : {in_fd, out[0], out[1], err[0], err[1], status[0], status[1]}) {
      if (fd >= 0) ::close(fd);
    }
    return errno_error("cannot create pipes", e);
  }

  pid_t pid = ::fork();
  if (pid < 0) {
    int e = errno;
    for (int fd : {in_fd, out[0], out[1], err[0], err[1], status[0], status[1]}) ::close(fd);
    return errno_error("fork failed", e);
  }
  if (pid == 0) {
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr);
    if (spec.new_process_group) setpgid(0, 0);
    if (dup2(in_fd, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) {
      child_fail(status[1], errno);
    }
    // Keep only stdio and the status pipe (as fd 3, close-on-exec) open in what we exec.
    int keep = 3;
    if (status[1] != keep && dup3(status[1], keep, O_CLOEXEC) < 0) child_fail(status[1], errno);
    ::syscall(SYS_close_range, 4U, ~0U, 0U);
    if (!spec.dir.empty() && chdir(spec.dir.c_str()) != 0) child_fail(keep, errno);
    if (spec.gid) {
      if (setgroups(0, nullptr) != 0 || setgid(*spec.gid) != 0) child_fail(keep, errno);
    }
    if (spec.uid && setuid(*spec.uid) != 0) child_fail(keep, errno);
    execve(argv[0], argv.data(), envp.data());
    child_fail(keep, errno);
  }

  for (int fd : {in_fd, out[1], err[1], status[1]}) ::close(fd);
  int exec_errno = 0;
  ssize_t n;
  do {
    n = ::read(status[0], &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  ::close(status[0]);
  if (n == sizeof exec_errno) {
    int ws = 0;
    ::waitpid(pid, &ws, 0);
    ::close(out[0]);
    ::close(err[0]);
    return errno_error("cannot start " + spec.argv[0], exec_errno);
  }
  return Spawned{pid, out[0], err[0]};
}

ChildProcess::ChildProcess(pid_t pid, int pidfd, int out_fd, int err_fd, ProcessIO io)
    : pid_(pid), pidfd_(pidfd), io_(std::move(io)) {
  reader_ = std::thread([this, out_fd, err_fd] { read_loop(out_fd, err_fd); });
}

ChildProcess::~ChildProcess() {
  if (!exit_status()) ::kill(pid_, SIGKILL);
  if (reader_.joinable()) reader_.join();
}

void ChildProcess::read_loop(int out_fd, int err_fd) {
  std::array<char, 16384> buf;
  auto deliver = [&](int fd, bool is_out) -> bool {  // false at EOF or error
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) return false;
    const auto& sink = is_out ? io_.on_stdout : io_.on_stderr;
    if (sink) sink(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    return true;
  };
  int fds[2] = {out_fd, err_fd};
  bool exited = false;
  while (!exited) {
    std::array<pollfd, 3> p{};
    p[0] = {fds[0], POLLIN, 0};
    p[1] = {fds[1], POLLIN, 0};
    p[2] = {pidfd_, POLLIN, 0};
    int r = ::poll(p.data(), p.size(), -1);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i] >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        if (!deliver(fds[i], i == 0)) {
          ::close(fds[i]);
          fds[i] = -1;
        }
      }
    }
    if ((p[2].revents & POLLIN) != 0) exited = true;
  }
  // Whatever is already in the pipes belongs to the process; a grandchild that keeps them
  // open does not hold the exit up.
  for (int i = 0; i < 2; ++i) {
    if (fds[i] < 0) continue;
    ::fcntl(fds[i], F_SETFL, ::fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    for (int rounds = 0; rounds < 1024; ++rounds) {
      ssize_t n = ::read(fds[i], buf.data(), buf.size());
      if (n <= 0) break;
      const auto& sink = i == 0 ? io_.on_stdout : io_.on_stderr;
      if (sink) sink(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    }
    ::close(fds[i]);
  }
  int ws = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &ws, 0);
  } while (r < 0 && errno == EINTR);
  ::close(pidfd_);
  int code = r == pid_ ? status_of(ws) : 255;
  std::vector<std::function<void(int)>> waiters;
  {
    std::lock_guard lock(mu_);
    status_ = code;
    waiters.swap(waiters_);
  }
  cv_.notify_all();
  for (auto& w : waiters) w(code);
}

std::optional<int> ChildProcess::exit_status() const {
  std::lock_guard lock(mu_);
  return status_;
}

int ChildProcess::wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return status_.has_value(); });
  return *status_;
}

void ChildProcess::on_exit(std::function<void(int)> done) {
  std::unique_lock lock(mu_);
  if (status_) {
    int code = *status_;
    lock.unlock();
    done(code);
    return;
  }
  waiters_.push_back(std::move(done));
}

void ChildProcess::signal(int signo) const {
  std::lock_guard lock(mu_);
  if (!status_) ::kill(pid_, signo);
}

int wait_for_exit(pid_t pid) {
  int ws = 0;
  pid_t r;
  do {
    r = ::waitpid(pid, &ws, 0);
  } while (r < 0 && errno == EINTR);
  return r == pid ? status_of(ws) : 255;
}

Result<CommandResult> run_command(const ChildSpec& spec, std::size_t max_output) {
  auto out = std::make_shared<std::string>();
  auto mu = std::make_shared<std::mutex>();
  auto sink = [out, mu, max_output](std::string_view chunk) {
    std::lock_guard lock(*mu);
    if (out->size() < max_output) out->append(chunk.substr(0, max_output - out->size()));
  };
  auto child = ChildProcess::start(spec, ProcessIO{sink, sink});
  if (!child) return std::move(child).error();
  int status = (*child)->wait();
  child->reset();
  std::lock_guard lock(*mu);
  return CommandResult{status, *out};
}

}  // namespace cupola::garden
