#include "diego/executor/step_factory.h"

#include <chrono>

#include "diego/executor/steps/codependent_step.h"
#include "diego/executor/steps/download_step.h"
#include "diego/executor/steps/emit_progress_step.h"
#include "diego/executor/steps/parallel_step.h"
#include "diego/executor/steps/serial_step.h"
#include "diego/executor/steps/timeout_step.h"
#include "diego/executor/steps/try_step.h"

namespace cupola::executor {
namespace {

using Streamer = std::shared_ptr<LogStreamer>;

// Turns actions into steps. `checking` builds a health check: processes' output is kept
// (it becomes the failure message) and their exit status is not reported.
class Builder {
 public:
  Builder(const StepContext& context, bool checking) : ctx_(context), checking_(checking) {}

  std::unique_ptr<Step> build(const bbs::Action& action, const Streamer& streamer) {
    return std::visit([&](const auto& a) { return step_for(a, streamer); }, action.value);
  }

 private:
  // The one list of action kinds and the steps that perform them.
  std::unique_ptr<Step> step_for(const bbs::RunAction& a, const Streamer& s) {
    auto action = a;
    auto options = ctx_.run;
    if (checking_) {
      action.suppress_log_output = false;
      options.suppress_exit_status = true;
    }
    return std::make_unique<RunStep>(ctx_.container, std::move(action), ctx_.env,
                                     s->with_source(a.log_source), ctx_.blocking, options,
                                     ctx_.logger);
  }
  std::unique_ptr<Step> step_for(const bbs::DownloadAction& a, const Streamer& s) {
    return std::make_unique<DownloadStep>(ctx_.container, a, ctx_.downloads,
                                          s->with_source(a.log_source), ctx_.blocking, ctx_.logger);
  }
  std::unique_ptr<Step> step_for(const bbs::UploadAction& a, const Streamer& s) {
    return std::make_unique<UploadStep>(ctx_.container, a, ctx_.http, s->with_source(a.log_source),
                                        ctx_.blocking, ctx_.upload, ctx_.logger);
  }
  std::unique_ptr<Step> step_for(const bbs::TimeoutAction& a, const Streamer& s) {
    return std::make_unique<TimeoutStep>(build(*a.action, s->with_source(a.log_source)),
                                         std::chrono::milliseconds(a.timeout_ms), ctx_.logger);
  }
  std::unique_ptr<Step> step_for(const bbs::EmitProgressAction& a, const Streamer& s) {
    return std::make_unique<EmitProgressStep>(
        build(*a.action, s),
        ProgressMessages{a.start_message, a.success_message, a.failure_message_prefix},
        s->with_source(a.log_source), ctx_.logger);
  }
  std::unique_ptr<Step> step_for(const bbs::TryAction& a, const Streamer& s) {
    return std::make_unique<TryStep>(build(*a.action, s->with_source(a.log_source)), ctx_.logger);
  }
  std::unique_ptr<Step> step_for(const bbs::ParallelAction& a, const Streamer& s) {
    return std::make_unique<ParallelStep>(build_all(a.actions, s->with_source(a.log_source)));
  }
  std::unique_ptr<Step> step_for(const bbs::CodependentAction& a, const Streamer& s) {
    return std::make_unique<CodependentStep>(build_all(a.actions, s->with_source(a.log_source)));
  }
  std::unique_ptr<Step> step_for(const bbs::SerialAction& a, const Streamer& s) {
    return std::make_unique<SerialStep>(build_all(a.actions, s));
  }

  std::vector<std::unique_ptr<Step>> build_all(const std::vector<bbs::Action>& actions,
                                               const Streamer& s) {
    std::vector<std::unique_ptr<Step>> steps;
    steps.reserve(actions.size());
    for (const auto& a : actions) steps.push_back(build(a, s));
    return steps;
  }

  const StepContext& ctx_;
  bool checking_;
};

}  // namespace

std::unique_ptr<Step> make_step(const bbs::Action& action, const StepContext& context) {
  return Builder(context, false).build(action, context.streamer);
}

std::unique_ptr<Step> make_monitor_step(const bbs::Action& check, const StepContext& context,
                                        MonitorOptions options, std::function<void()> on_healthy) {
  CheckFactory make_check = [check, context](Streamer output) {
    return Builder(context, true).build(check, output);
  };
  return std::make_unique<MonitorStep>(std::move(make_check), context.streamer, options,
                                       std::move(on_healthy), context.logger);
}

}  // namespace cupola::executor
