#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include "common/core/clock.h"
#include "common/http/client/client.h"
#include "common/log/log.h"
#include "diego/rep/src/step_builder.h"
#include "loggregator/api/log_client.h"

namespace cupola::rep {

struct ExecutorStepsOptions {
  std::string cache_dir;  // downloads (droplets, buildpacks), fetched once per cell
  std::uint64_t cache_max_bytes = 2ull << 30;
  std::string logs_dir;     // one log file per container
  std::string scratch_dir;  // files copied out of containers before an upload
  std::chrono::milliseconds stop_grace{10'000};
  // Where apps' output goes besides the log files; null: the files only. Must outlive the
  // steps.
  loggregator::LogClient* app_logs = nullptr;
};

// The StepBuilder of a real cell: the executor's steps (diego/executor) on its download
// cache and HTTP client. Throws when the cache directory cannot be made.
std::unique_ptr<StepBuilder> make_executor_steps(boost::asio::any_io_executor ex,
                                                 boost::asio::thread_pool& pool, http::Client& http,
                                                 ExecutorStepsOptions options, const Clock& clock,
                                                 log::Logger log);

}  // namespace cupola::rep
