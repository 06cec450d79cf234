#include "test/diego/lifecycle/child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

extern char** environ;

namespace cupola::lifecycle::test {

using Clock = std::chrono::steady_clock;

Child::Child(const ChildOptions& options) {
  std::vector<std::string> argv_store{options.argv0.value_or(options.path)};
  for (const auto& a : options.args) argv_store.push_back(a);
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    std::string key(kv.substr(0, kv.find('=')));
    bool drop = false;
    for (const auto& [k, v] : options.env) drop = drop || k == key;
    for (const auto& k : options.unset_env) drop = drop || k == key;
    if (!drop) env_store.emplace_back(kv);
  }
  for (const auto& [k, v] : options.env) env_store.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category());
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    throw std::system_error(errno, std::generic_category());
  }
  started_ = Clock::now();
  pid_ = ::fork();
  if (pid_ == 0) {
    // Only async-signal-safe calls until exec.
    ::setpgid(0, 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (!options.working_dir.empty() && ::chdir(options.working_dir.c_str()) != 0) ::_exit(126);
    ::execve(options.path.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  int fork_errno = errno;
  ::close(out[1]);
  ::close(err[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
  if (pid_ < 0) {
    ::close(out_fd_);
    ::close(err_fd_);
    throw std::system_error(fork_errno, std::generic_category(), "fork");
  }
}

Child::~Child() {
  if (!exited_ && pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

bool Child::pump(Clock::time_point deadline, bool until_closed) {
  char buf[4096];
  while (true) {
    if (!exited_) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        result_.elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_);
        result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
    }
    if (exited_ && (!until_closed || (out_fd_ < 0 && err_fd_ < 0))) return true;
    auto now = Clock::now();
    if (now >= deadline) return exited_;
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    // Short slices: the child's exit is noticed by waitpid, not by poll.
    auto slice = std::min<Clock::duration>(deadline - now, std::chrono::milliseconds(10));
    int r = ::poll(fds, 2,
                   static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count()));
    if (r < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
    for (int i = 0; i < 2 && r > 0; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        (i == 0 ? result_.out : result_.err).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        int& fd = i == 0 ? out_fd_ : err_fd_;
        ::close(fd);
        fd = -1;
      }
    }
  }
}

ChildResult Child::wait(std::chrono::milliseconds timeout) {
  if (!pump(Clock::now() + timeout, true)) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    exited_ = true;
    result_.exit_code.reset();
  }
  return result_;
}

bool Child::still_running_after(std::chrono::milliseconds d) {
  return !pump(Clock::now() + d, false);
}

ChildResult run_child(const ChildOptions& options, std::chrono::milliseconds timeout) {
  Child child(options);
  return child.wait(timeout);
}

}  // namespace cupola::lifecycle::test
