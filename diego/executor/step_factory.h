#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "bbs/api/models/action.h"
#include "common/http/client/client.h"
#include "common/log/log.h"
#include "diego/executor/download_cache.h"
#include "diego/executor/log_streamer.h"
#include "diego/executor/steps/monitor_step.h"
#include "diego/executor/steps/run_step.h"
#include "diego/executor/steps/step.h"
#include "diego/executor/steps/upload_step.h"
#include "diego/garden/garden.h"

namespace cupola::executor {

// What the steps of one container share. The cache, client and pool outlive the steps;
// the steps run on the executor the cache and client use.
struct StepContext {
  std::shared_ptr<garden::Container> container;
  // The container's log stream; actions with a log_source write under that source instead.
  std::shared_ptr<LogStreamer> streamer;
  DownloadCache& downloads;
  http::Client& http;                  // uploads
  boost::asio::thread_pool& blocking;  // container calls
  // Added to every process's environment after the action's own (CF_INSTANCE_* and the like).
  std::vector<garden::EnvVar> env;
  RunOptions run;
  UploadOptions upload;
  log::Logger logger;
};

// The step tree that performs `action` in the context's container.
std::unique_ptr<Step> make_step(const bbs::Action& action, const StepContext& context);

// A monitor step (steps/monitor_step.h) whose checks perform `check` (an LRP's monitor
// action). The check's processes write nothing to the log stream and no exit status: their
// output becomes the check's failure message.
std::unique_ptr<Step> make_monitor_step(const bbs::Action& check, const StepContext& context,
                                        MonitorOptions options, std::function<void()> on_healthy);

}  // namespace cupola::executor
