#include "diego/executor/steps/run_step.h"

#include <csignal>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include "common/core/time.h"
#include "diego/executor/steps/errors.h"

namespace cupola::executor {

namespace asio = boost::asio;

// The exit status, delivered by the backend's thread through a post to the step's executor.
struct RunStep::Exit {
  explicit Exit(asio::any_io_executor ex) : wake(std::move(ex)) {}
  Wakeup wake;
  std::optional<int> status;
};

namespace {

struct Started {
  std::shared_ptr<garden::Process> process;
  std::uint64_t oom_kills = 0;
};

std::uint64_t oom_kills(garden::Container& container) {
  auto m = container.metrics();
  return m ? m->oom_kills : 0;
}

}  // namespace

RunStep::RunStep(std::shared_ptr<garden::Container> container, bbs::RunAction action,
                 std::vector<garden::EnvVar> extra_env, std::shared_ptr<LogStreamer> streamer,
                 asio::thread_pool& blocking, RunOptions options, log::Logger logger)
    : container_(std::move(container)),
      action_(std::move(action)),
      extra_env_(std::move(extra_env)),
      streamer_(std::move(streamer)),
      blocking_(blocking),
      options_(options),
      log_(logger.session("run-step", {{"path", action_.path}})) {}

garden::ProcessSpec RunStep::process_spec() const {
  garden::ProcessSpec spec;
  spec.path = action_.path;
  spec.args = action_.args;
  spec.dir = action_.dir;
  if (!action_.user.empty()) spec.user = action_.user;
  for (const auto& e : action_.env) spec.env.emplace_back(e.name, e.value);
  spec.env.insert(spec.env.end(), extra_env_.begin(), extra_env_.end());
  spec.nofile = action_.resource_limits.nofile.value_or(0);
  return spec;
}

void RunStep::signal(int signo) {
  log_.info("signalling", {{"signal", signo}});
  asio::post(blocking_, [p = process_, signo] { p->signal(signo); });
}

void RunStep::cancel() {
  cancelled_ = true;
  if (exit_) exit_->wake.notify();
}

asio::awaitable<Status> RunStep::perform() {
  auto ex = co_await asio::this_coro::executor;
  exit_ = std::make_shared<Exit>(ex);
  if (cancelled_) co_return cancelled_error();

  garden::ProcessIO io;
  if (action_.suppress_log_output) {
    io.on_stdout = [](std::string_view) {};
    io.on_stderr = [](std::string_view) {};
  } else {
    io.on_stdout = [s = streamer_](std::string_view chunk) { s->out(chunk); };
    io.on_stderr = [s = streamer_](std::string_view chunk) { s->err(chunk); };
  }
  auto start = [container = container_, spec = process_spec(), io = std::move(io),
                exit = std::weak_ptr<Exit>(exit_), ex]() -> Result<Started> {
    Started started{nullptr, oom_kills(*container)};
    auto process = container->run(spec, io);
    if (!process) return std::move(process).error();
    started.process = *process;
    started.process->on_exit([exit, ex](int status) {
      asio::post(ex, [exit, status] {
        if (auto e = exit.lock()) {
          e->status = status;
          e->wake.notify();
        }
      });
    });
    return started;
  };
  log_.info("running");
  auto started = co_await run_blocking(blocking_, std::move(start));
  if (!started) {
    log_.error("failed-creating-process", started.error().message);
    if (!action_.suppress_log_output) {
      streamer_->out("failed-creating-process: " + started.error().message + "\n");
    }
    co_return std::move(started).error();
  }
  process_ = started->process;

  enum class Phase { Running, Terminating, Killing } phase = Phase::Running;
  auto deadline = Wakeup::Clock::time_point::max();
  while (!exit_->status) {
    auto now = Wakeup::Clock::now();
    if (cancelled_ && phase == Phase::Running) {
      signal(SIGTERM);
      phase = Phase::Terminating;
      deadline = now + options_.graceful_shutdown;
    } else if (phase == Phase::Terminating && now >= deadline) {
      log_.info("graceful-shutdown-timeout-exceeded");
      signal(SIGKILL);
      phase = Phase::Killing;
      deadline = now + options_.exit_timeout;
    } else if (phase == Phase::Killing && now >= deadline) {
      log_.error("process-did-not-exit", "no exit after SIGKILL");
      co_return cancelled_error("process did not exit");
    }
    co_await exit_->wake.wait_until(deadline);
  }

  int status = *exit_->status;
  bool oom = false;
  if (status != 0) {
    auto read_oom_kills = [c = container_] { return oom_kills(*c); };
    auto after = co_await run_blocking(blocking_, std::move(read_oom_kills));
    oom = after > started->oom_kills;
  }
  log_.info("process-exit", {{"exit_status", status}, {"cancelled", cancelled_}});
  bool killed = phase == Phase::Killing;
  std::string exit_message;
  std::string reason;
  if (!options_.suppress_exit_status) {
    exit_message = "Exit status " + std::to_string(status);
    reason = streamer_->source_name() + ": Exited with status " + std::to_string(status);
  }
  if (killed) {
    exit_message += " (exceeded " + format_duration(options_.graceful_shutdown) +
                    " graceful shutdown interval)";
  }
  if (oom) {
    exit_message += " (out of memory)";
    reason += " (out of memory)";
  }
  if (!action_.suppress_log_output && !exit_message.empty()) {
    streamer_->out(exit_message + "\n");
    streamer_->flush();
  }
  if (killed) co_return cancelled_error("exceeded graceful shutdown interval");
  if (cancelled_) co_return cancelled_error();
  if (status != 0) co_return step_failed(reason);
  co_return Status{};
}

}  // namespace cupola::executor
