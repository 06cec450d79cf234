#include "common/testing/process.h"

#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <system_error>

#include "common/json/json.h"

extern char** environ;

namespace cupola::testing {
namespace {

[[noreturn]] void child_fail(const char* what) {
  // Only async-signal-safe calls between fork and exec.
  const char* err = strerror(errno);
  (void)!::write(2, "cupola-testing: ", 16);
  (void)!::write(2, what, std::strlen(what));
  (void)!::write(2, ": ", 2);
  (void)!::write(2, err, std::strlen(err));
  (void)!::write(2, "\n", 1);
  ::_exit(127);
}

}  // namespace

Process::Process(ProcessOptions options) : log_file_(options.log_file) {
  name_ = options.path.substr(options.path.rfind('/') + 1);
  std::vector<std::string> argv_store;
  argv_store.push_back(options.path);
  for (auto& a : options.args) argv_store.push_back(a);
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    auto key = kv.substr(0, kv.find('='));
    bool replaced = false;
    for (auto& [k, v] : options.env) replaced = replaced || k == key;
    if (!replaced) env_store.emplace_back(kv);
  }
  for (auto& [k, v] : options.env) env_store.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  pid_t parent = ::getpid();
  // Signals stay blocked across fork until the child has dropped the handlers it inherited
  // (a signal sent right away must meet the default action, not the test framework's).
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  pid_ = ::fork();
  if (pid_ != 0) pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (pid_ < 0) {
    int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::system_error(err, std::generic_category(), "fork");
  }
  if (pid_ == 0) {
    for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, nullptr);
    ::setpgid(0, 0);
    if (::dup2(fds[1], 1) < 0 || ::dup2(fds[1], 2) < 0) child_fail("dup2");
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    if (options.gid) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(*options.gid) != 0) child_fail("setgid");
    }
    if (options.uid && ::setuid(*options.uid) != 0) child_fail("setuid");
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    if (!options.working_dir.empty() && ::chdir(options.working_dir.c_str()) != 0) {
      child_fail("chdir");
    }
    ::execvpe(argv[0], argv.data(), envp.data());
    child_fail(argv[0]);
  }
  ::close(fds[1]);
  reader_ = std::thread([this, fd = fds[0]] { read_output(fd); });
}

Process::~Process() {
  stop();
  if (reader_.joinable()) reader_.join();
}

void Process::read_output(int fd) {
  std::string partial;
  std::ofstream log;
  if (!log_file_.empty()) log.open(log_file_, std::ios::app);
  char buf[8192];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    partial.append(buf, static_cast<std::size_t>(n));
    std::size_t nl;
    std::vector<std::string> complete;
    while ((nl = partial.find('\n')) != std::string::npos) {
      complete.push_back(partial.substr(0, nl));
      partial.erase(0, nl + 1);
    }
    if (log.is_open()) {
      for (auto& l : complete) log << l << '\n';
      log.flush();
    }
    if (!complete.empty()) {
      std::lock_guard lock(mu_);
      for (auto& l : complete) lines_.push_back(std::move(l));
      cv_.notify_all();
    }
  }
  ::close(fd);
  std::lock_guard lock(mu_);
  if (!partial.empty()) lines_.push_back(partial);
  eof_ = true;
  cv_.notify_all();
}

bool Process::wait_for_line(const std::function<bool(std::string_view)>& match,
                            std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  std::size_t checked = 0;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    for (; checked < lines_.size(); ++checked) {
      if (match(lines_[checked])) return true;
    }
    if (eof_) return false;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      for (; checked < lines_.size(); ++checked) {
        if (match(lines_[checked])) return true;
      }
      return false;
    }
  }
}

bool Process::wait_for_message(std::string_view message, std::chrono::milliseconds timeout) {
  return wait_for_line(
      [message](std::string_view line) {
        if (line.find(message) == std::string_view::npos) return false;
        auto doc = json::parse(line);
        if (!doc || !doc->IsObject()) return false;
        auto it = doc->FindMember("message");
        return it != doc->MemberEnd() && it->value.IsString() &&
               message == std::string_view(it->value.GetString(), it->value.GetStringLength());
      },
      timeout);
}

std::vector<std::string> Process::lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

std::string Process::output() const {
  std::string out;
  for (const auto& l : lines()) out += l + "\n";
  return out;
}

void Process::signal(int signo) {
  std::lock_guard lock(mu_);
  if (!status_ && pid_ > 0) ::kill(pid_, signo);
}

std::optional<int> Process::reap(bool block) {
  std::lock_guard lock(mu_);
  if (status_) return status_;
  int st = 0;
  pid_t r = ::waitpid(pid_, &st, block ? 0 : WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  return status_;
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto s = reap(false)) return s;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling waitpid
  }
}

bool Process::running() { return !reap(false).has_value(); }

int Process::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  if (auto s = reap(false)) return *s;
  signal(SIGTERM);
  if (auto s = wait(grace)) return *s;
  {
    std::lock_guard lock(mu_);
    ::kill(-pid_, SIGKILL);  // its process group: whatever it started goes too
    ::kill(pid_, SIGKILL);
  }
  return *reap(true);
}

std::string binary_path(std::string_view name) {
#ifdef CUPOLA_BINARY_DIR
  return std::string(CUPOLA_BINARY_DIR) + "/" + std::string(name);
#else
  return std::string(name);
#endif
}

}  // namespace cupola::testing
