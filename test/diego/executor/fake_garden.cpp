#include "test/diego/executor/fake_garden.h"

#include <csignal>

#include "common/testing/temp_dir.h"

namespace cupola::executor::test {

void FakeProcess::signal(int signo) {
  {
    std::lock_guard lock(mu_);
    signals_.push_back(signo);
  }
  if (signo == SIGTERM && script_.on_sigterm) exit(*script_.on_sigterm);
  if (signo == SIGKILL && !script_.survives_kill) exit(128 + SIGKILL);
}

int FakeProcess::wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return status_.has_value(); });
  return *status_;
}

void FakeProcess::on_exit(std::function<void(int)> done) {
  std::unique_lock lock(mu_);
  if (status_) {
    int status = *status_;
    lock.unlock();
    done(status);
    return;
  }
  on_exit_.push_back(std::move(done));
}

void FakeProcess::exit(int status) {
  std::vector<std::function<void(int)>> callbacks;
  {
    std::lock_guard lock(mu_);
    if (status_) return;
    status_ = status;
    callbacks = std::move(on_exit_);
  }
  cv_.notify_all();
  if (script_.oom_killed) container_.add_oom_kill();
  container_.spawn([callbacks = std::move(callbacks), status] {
    for (const auto& done : callbacks) done(status);
  });
}

std::vector<int> FakeProcess::signals() const {
  std::lock_guard lock(mu_);
  return signals_;
}

bool FakeProcess::exited() const {
  std::lock_guard lock(mu_);
  return status_.has_value();
}

FakeContainer::~FakeContainer() {
  std::vector<std::thread> threads;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      threads = std::move(threads_);
      threads_.clear();
    }
    if (threads.empty()) break;
    for (auto& t : threads) t.join();
  }
}

Result<std::shared_ptr<garden::Process>> FakeContainer::run(const garden::ProcessSpec& spec,
                                                            garden::ProcessIO io) {
  std::shared_ptr<FakeProcess> process;
  ProcessScript script;
  {
    std::lock_guard lock(mu_);
    specs_.push_back(spec);
    if (run_error_) return *run_error_;
    script = script_ ? script_(spec) : ProcessScript{};
    process =
        std::make_shared<FakeProcess>(*this, "process-" + std::to_string(specs_.size()), script);
    processes_.push_back(process);
  }
  // Output, then the exit, arrive on a thread of the backend's.
  spawn([process, script, io = std::move(io)] {
    for (const auto& c : script.stdout_chunks) io.on_stdout(c);
    for (const auto& c : script.stderr_chunks) io.on_stderr(c);
    if (script.exit_status) process->exit(*script.exit_status);
  });
  return std::shared_ptr<garden::Process>(process);
}

Status FakeContainer::stream_in(const std::string& tar_file, const std::string& dir,
                                const std::string& user) {
  std::lock_guard lock(mu_);
  if (stream_in_error_) return *stream_in_error_;
  streamed_in_.push_back(StreamIn{cupola::testing::read_file(tar_file), dir, user});
  return {};
}

Status FakeContainer::copy_out(const std::string& container_file, const std::string& host_file) {
  std::string content;
  {
    std::lock_guard lock(mu_);
    auto it = files_.find(container_file);
    if (it == files_.end()) {
      return make_error(make_error_code(Errc::NotFound), container_file + ": no such file");
    }
    content = it->second;
  }
  std::FILE* f = std::fopen(host_file.c_str(), "wb");
  if (!f) return make_error(make_error_code(Errc::Internal), "cannot write " + host_file);
  std::fwrite(content.data(), 1, content.size(), f);
  std::fclose(f);
  return {};
}

Result<garden::Metrics> FakeContainer::metrics() {
  std::lock_guard lock(mu_);
  garden::Metrics m;
  m.oom_kills = oom_kills_;
  return m;
}

void FakeContainer::set_script(std::function<ProcessScript(const garden::ProcessSpec&)> script) {
  std::lock_guard lock(mu_);
  script_ = std::move(script);
}

void FakeContainer::fail_runs(std::optional<Error> error) {
  std::lock_guard lock(mu_);
  run_error_ = std::move(error);
}

void FakeContainer::fail_stream_in(std::optional<Error> error) {
  std::lock_guard lock(mu_);
  stream_in_error_ = std::move(error);
}

void FakeContainer::put_file(const std::string& path, std::string content) {
  std::lock_guard lock(mu_);
  files_[path] = std::move(content);
}

std::vector<garden::ProcessSpec> FakeContainer::specs() const {
  std::lock_guard lock(mu_);
  return specs_;
}

std::vector<std::shared_ptr<FakeProcess>> FakeContainer::processes() const {
  std::lock_guard lock(mu_);
  return processes_;
}

std::vector<FakeContainer::StreamIn> FakeContainer::streamed_in() const {
  std::lock_guard lock(mu_);
  return streamed_in_;
}

std::size_t FakeContainer::run_count() const {
  std::lock_guard lock(mu_);
  return specs_.size();
}

void FakeContainer::spawn(std::function<void()> f) {
  std::lock_guard lock(mu_);
  threads_.emplace_back(std::move(f));
}

void FakeContainer::add_oom_kill() {
  std::lock_guard lock(mu_);
  ++oom_kills_;
}

}  // namespace cupola::executor::test
