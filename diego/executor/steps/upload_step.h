#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/thread_pool.hpp>

#include "bbs/api/models/action.h"
#include "common/http/client/cancel_token.h"
#include "common/http/client/client.h"
#include "common/log/log.h"
#include "diego/executor/log_streamer.h"
#include "diego/executor/steps/step.h"
#include "diego/garden/garden.h"

namespace cupola::executor {

struct UploadOptions {
  std::string temp_dir;  // host directory for the copied-out file
  std::uint64_t max_bytes = 1ull << 30;
  int attempts = 3;  // failed requests are retried (not after a cancel)
};

// Copies a file out of the container and POSTs it to the action's URL as
// application/octet-stream with Content-MD5 and Content-Digest (sha-256) headers (an upload
// action). With an artifact name it says "Uploading droplet..." and "Uploaded droplet
// (12.3M)" on stdout, and names the artifact in failures on stderr ("Failed to upload
// payload for droplet"). A response status of 400 or more fails it: "Upload failed: Status
// code 500". The URL is never written to the log stream (it may hold credentials).
class UploadStep final : public Step {
 public:
  UploadStep(std::shared_ptr<garden::Container> container, bbs::UploadAction action,
             http::Client& client, std::shared_ptr<LogStreamer> streamer,
             boost::asio::thread_pool& blocking, UploadOptions options, log::Logger logger);

  // Step
  boost::asio::awaitable<Status> perform() override;
  void cancel() override;

 private:
  std::string for_artifact(std::string_view message) const;
  Error fail(std::string_view message);

  std::shared_ptr<garden::Container> container_;
  bbs::UploadAction action_;
  http::Client& client_;
  std::shared_ptr<LogStreamer> streamer_;
  boost::asio::thread_pool& blocking_;
  UploadOptions options_;
  log::Logger log_;
  http::CancelToken cancel_;
};

}  // namespace cupola::executor
