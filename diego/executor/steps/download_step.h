#pragma once

#include <memory>

#include <boost/asio/thread_pool.hpp>

#include "bbs/api/models/action.h"
#include "common/http/client/cancel_token.h"
#include "common/log/log.h"
#include "diego/executor/download_cache.h"
#include "diego/executor/log_streamer.h"
#include "diego/executor/steps/step.h"
#include "diego/garden/garden.h"

namespace cupola::executor {

// Fetches a tarball through the cell's download cache and unpacks it into the container
// (a download action). With an artifact name it says so on stdout: "Downloading droplet...",
// then "Downloaded droplet (12.3M)" (without the size when it came from the cache). It fails
// with "Downloading droplet failed" ("Downloading failed" without an artifact) or "Copying
// droplet into the container failed: <why>", also written to stderr.
class DownloadStep final : public Step {
 public:
  DownloadStep(std::shared_ptr<garden::Container> container, bbs::DownloadAction action,
               DownloadCache& cache, std::shared_ptr<LogStreamer> streamer,
               boost::asio::thread_pool& blocking, log::Logger logger);

  // Step
  boost::asio::awaitable<Status> perform() override;
  void cancel() override;

 private:
  Error fail(std::string message);

  std::shared_ptr<garden::Container> container_;
  bbs::DownloadAction action_;
  DownloadCache& cache_;
  std::shared_ptr<LogStreamer> streamer_;
  boost::asio::thread_pool& blocking_;
  log::Logger log_;
  http::CancelToken cancel_;
};

}  // namespace cupola::executor
