#include "diego/executor/steps/upload_step.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/core/base64.h"
#include "diego/executor/digest.h"
#include "diego/executor/steps/async.h"
#include "diego/executor/steps/errors.h"

namespace cupola::executor {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

// A private directory for one upload, removed with everything in it.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& parent) {
    std::string pattern = (fs::path(parent) / "upload-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Payload {
  std::string body;
  std::string md5;     // base64
  std::string sha256;  // base64
};

Result<Payload> read_payload(const std::string& path, std::uint64_t max_bytes) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec)
    return make_error(make_error_code(Errc::Internal), "cannot read " + path + ": " + ec.message());
  if (size > max_bytes) {
    return make_error(make_error_code(Errc::LimitExceeded),
                      "the file is larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  Payload p;
  p.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return make_error(make_error_code(Errc::Internal), "cannot read " + path);
  }
  Digester d;
  d.update(p.body);
  d.finish();
  p.md5 = base64_encode(d.raw(DigestAlgorithm::Md5));
  p.sha256 = base64_encode(d.raw(DigestAlgorithm::Sha256));
  return p;
}

}  // namespace

UploadStep::UploadStep(std::shared_ptr<garden::Container> container, bbs::UploadAction action,
                       http::Client& client, std::shared_ptr<LogStreamer> streamer,
                       asio::thread_pool& blocking, UploadOptions options, log::Logger logger)
    : container_(std::move(container)),
      action_(std::move(action)),
      client_(client),
      streamer_(std::move(streamer)),
      blocking_(blocking),
      options_(std::move(options)),
      log_(logger.session("upload-step", {{"from", action_.from}})) {}

void UploadStep::cancel() { cancel_.cancel(); }

std::string UploadStep::for_artifact(std::string_view message) const {
  return action_.artifact.empty() ? std::string(message)
                                  : std::string(message) + " for " + action_.artifact;
}

Error UploadStep::fail(std::string_view message) {
  auto text = for_artifact(message);
  if (!action_.artifact.empty()) streamer_->err(text + "\n");
  return step_failed(std::move(text));
}

asio::awaitable<Status> UploadStep::perform() {
  if (cancel_.cancelled()) co_return cancelled_error();
  log_.info("upload-starting");
  if (!action_.artifact.empty()) streamer_->out("Uploading " + action_.artifact + "...\n");

  ScratchDir scratch(options_.temp_dir);
  if (scratch.path().empty()) {
    log_.error("failed-to-create-tmp-dir", options_.temp_dir);
    co_return fail("Failed to create temp dir");
  }
  auto copy = [c = container_, from = action_.from, to = scratch.path() + "/payload",
               max = options_.max_bytes]() -> Result<Payload> {
    if (auto s = c->copy_out(from, to); !s) return std::move(s).error();
    return read_payload(to, max);
  };
  auto payload = co_await run_blocking(blocking_, std::move(copy));
  if (cancel_.cancelled()) co_return cancelled_error();
  if (!payload) {
    log_.error("failed-to-copy-out", payload.error().message);
    co_return fail(payload.error().code == make_error_code(Errc::LimitExceeded)
                       ? "Failed to copy stream contents into temp file"
                       : "Failed to establish stream from container");
  }

  auto size = payload->body.size();
  Status uploaded;
  for (int attempt = 0; attempt < std::max(1, options_.attempts); ++attempt) {
    http::ClientRequest request;
    request.method = http::Method::Post;
    request.url = action_.to;
    request.body = payload->body;
    request.headers.push_back(http::Header{"Content-Type", "application/octet-stream"});
    request.headers.push_back(http::Header{"Content-MD5", payload->md5});
    request.headers.push_back(http::Header{"Content-Digest", "sha-256=:" + payload->sha256 + ":"});
    http::StreamOptions stream_options;
    stream_options.cancel = cancel_;
    http::BodyHandler ignore_body = [](std::string_view) { return true; };
    auto response = co_await client_.stream(std::move(request), ignore_body, stream_options);
    if (cancel_.cancelled()) co_return cancelled_error();
    if (!response) {
      uploaded = response.error();
    } else if (response->status >= 400) {
      uploaded = step_failed("Upload failed: Status code " + std::to_string(response->status));
    } else {
      uploaded = Status{};
      break;
    }
    log_.error("failed-uploading", uploaded.error().message, {{"attempt", attempt + 1}});
  }
  if (!uploaded) {
    if (!action_.artifact.empty()) streamer_->err(for_artifact("Failed to upload payload") + "\n");
    // A transport error names the URL: keep it out of the failure reason.
    co_return uploaded.error().code == make_error_code(StepErrc::Failed)
        ? std::move(uploaded).error()
        : step_failed(for_artifact("Failed to upload payload"));
  }
  log_.info("upload-successful", {{"size", static_cast<std::int64_t>(size)}});
  if (!action_.artifact.empty()) {
    streamer_->out("Uploaded " + action_.artifact + " (" + format_byte_size(size) + ")\n");
  }
  co_return Status{};
}

}  // namespace cupola::executor
