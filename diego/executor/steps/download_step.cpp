#include "diego/executor/steps/download_step.h"

#include "diego/executor/steps/async.h"
#include "diego/executor/steps/errors.h"

namespace cupola::executor {

namespace asio = boost::asio;

DownloadStep::DownloadStep(std::shared_ptr<garden::Container> container, bbs::DownloadAction action,
                           DownloadCache& cache, std::shared_ptr<LogStreamer> streamer,
                           asio::thread_pool& blocking, log::Logger logger)
    : container_(std::move(container)),
      action_(std::move(action)),
      cache_(cache),
      streamer_(std::move(streamer)),
      blocking_(blocking),
      log_(logger.session(
          "download-step",
          {{"to", action_.to}, {"cache_key", action_.cache_key}, {"user", action_.user}})) {}

void DownloadStep::cancel() { cancel_.cancel(); }

Error DownloadStep::fail(std::string message) {
  streamer_->err(truncate_message(message + "\n"));
  return step_failed(std::move(message));
}

asio::awaitable<Status> DownloadStep::perform() {
  if (cancel_.cancelled()) co_return cancelled_error();
  const auto& artifact = action_.artifact;
  if (!artifact.empty()) streamer_->out("Downloading " + artifact + "...\n");

  Checksum checksum{action_.checksum_algorithm, action_.checksum_value};
  auto file = co_await cache_.fetch(action_.from, action_.cache_key, checksum, cancel_);
  if (!file) {
    if (is_cancelled(file.error()) && cancel_.cancelled()) co_return cancelled_error();
    log_.error("fetch-failed", file.error().message);
    co_return fail(artifact.empty() ? "Downloading failed" : "Downloading " + artifact + " failed");
  }
  log_.info("fetch-complete", {{"size", static_cast<std::int64_t>((*file)->size())}});

  // The container cannot be interrupted while it unpacks; a cancel takes effect after.
  auto unpack = [c = container_, path = (*file)->path(), to = action_.to, user = action_.user] {
    return user.empty() ? c->stream_in(path, to) : c->stream_in(path, to, user);
  };
  auto copied = co_await run_blocking(blocking_, std::move(unpack));
  if (cancel_.cancelled()) co_return cancelled_error();
  if (!copied) {
    log_.error("stream-in-failed", copied.error().message);
    co_return fail((artifact.empty() ? "Copying into the container failed: "
                                     : "Copying " + artifact + " into the container failed: ") +
                   copied.error().message);
  }
  log_.info("stream-in-complete");
  if (!artifact.empty()) {
    streamer_->out((*file)->fetched()
                       ? "Downloaded " + artifact + " (" + format_byte_size((*file)->size()) + ")\n"
                       : "Downloaded " + artifact + "\n");
  }
  co_return Status{};
}

}  // namespace cupola::executor
