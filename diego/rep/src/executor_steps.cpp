#include "diego/rep/src/executor_steps.h"

#include <stdexcept>

#include "bbs/api/codec/action_codec.h"
#include "diego/executor/download_cache.h"
#include "diego/executor/log_streamer.h"
#include "diego/executor/step_factory.h"
#include "diego/rep/src/app_logs.h"

namespace cupola::rep {
namespace {

class ExecutorSteps final : public StepBuilder {
 public:
  ExecutorSteps(boost::asio::any_io_executor ex, boost::asio::thread_pool& pool, http::Client& http,
                ExecutorStepsOptions options, const Clock& clock, log::Logger log)
      : pool_(pool),
        http_(http),
        options_(std::move(options)),
        clock_(clock),
        log_(std::move(log)),
        downloads_(ex, http,
                   executor::DownloadCacheOptions{.dir = options_.cache_dir,
                                                  .max_cached_bytes = options_.cache_max_bytes},
                   log_.session("downloads")) {
    if (auto st = downloads_.init(); !st) {
      throw std::runtime_error("download cache: " + st.error().message);
    }
  }

  // StepBuilder:
  Result<std::unique_ptr<executor::Step>> action(
      const std::string& action_json, std::shared_ptr<garden::Container> container,
      std::shared_ptr<executor::LogStreamer> log) override {
    auto action = bbs::parse_action(action_json);
    if (!action) return std::move(action).error();
    return executor::make_step(*action, context(std::move(container), std::move(log)));
  }

  Result<std::unique_ptr<executor::Step>> monitor(const std::string& check_json,
                                                  std::shared_ptr<garden::Container> container,
                                                  std::shared_ptr<executor::LogStreamer> log,
                                                  MonitorTiming timing,
                                                  std::function<void()> on_healthy) override {
    auto check = bbs::parse_action(check_json, "monitor");
    if (!check) return std::move(check).error();
    executor::MonitorOptions o;
    o.start_timeout = timing.start_timeout;
    o.unhealthy_interval = timing.unhealthy_interval;
    o.healthy_interval = timing.healthy_interval;
    return executor::make_monitor_step(*check, context(std::move(container), std::move(log)), o,
                                       std::move(on_healthy));
  }

  std::shared_ptr<executor::LogStreamer> log_streamer(const std::string& handle,
                                                      const LogTarget& target) override {
    executor::LogFileOptions o;
    o.path = options_.logs_dir + "/" + handle + ".log";
    o.source_name = target.source;
    o.instance_index = target.index;
    std::shared_ptr<executor::LogStreamer> local;
    if (auto file = executor::open_log_file(o, clock_)) {
      local = *file;
    } else {
      log_.error("log-file-failed", file.error().message, {{"handle", handle}});
      local = std::make_shared<executor::BufferLogStreamer>(target.source, 64 * 1024);
    }
    if (options_.app_logs == nullptr || target.log_guid.empty()) return local;
    AppLogTarget app{target.log_guid,
                     std::to_string(target.index),
                     static_cast<std::uint64_t>(std::max<std::int64_t>(0, target.bytes_per_second)),
                     {{"origin", "cupola-rep"}}};
    return tee(local,
               make_app_log_streamer(*options_.app_logs, clock_, std::move(app), target.source));
  }

 private:
  executor::StepContext context(std::shared_ptr<garden::Container> container,
                                std::shared_ptr<executor::LogStreamer> log) {
    return executor::StepContext{
        .container = std::move(container),
        .streamer = std::move(log),
        .downloads = downloads_,
        .http = http_,
        .blocking = pool_,
        .env = {},
        .run = executor::RunOptions{.graceful_shutdown = options_.stop_grace},
        .upload = executor::UploadOptions{.temp_dir = options_.scratch_dir},
        .logger = log_,
    };
  }

  boost::asio::thread_pool& pool_;
  http::Client& http_;
  ExecutorStepsOptions options_;
  const Clock& clock_;
  log::Logger log_;
  executor::DownloadCache downloads_;
};

}  // namespace

std::unique_ptr<StepBuilder> make_executor_steps(boost::asio::any_io_executor ex,
                                                 boost::asio::thread_pool& pool, http::Client& http,
                                                 ExecutorStepsOptions options, const Clock& clock,
                                                 log::Logger log) {
  return std::make_unique<ExecutorSteps>(ex, pool, http, std::move(options), clock, std::move(log));
}

}  // namespace cupola::rep
