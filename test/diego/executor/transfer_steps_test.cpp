#include <catch2/catch.hpp>

#include "common/testing/temp_dir.h"
#include "diego/executor/steps/download_step.h"
#include "diego/executor/steps/upload_step.h"
#include "test/diego/executor/file_server.h"
#include "test/diego/executor/harness.h"

using namespace cupola;
using namespace cupola::executor;
using namespace cupola::executor::test;

namespace {

struct TransferHarness {
  TransferHarness() {
    cache = std::make_unique<DownloadCache>(
        loop.io.get_executor(), client, DownloadCacheOptions{.dir = (dir / "downloads").string()},
        loop.logger);
    REQUIRE(cache->init().ok());
  }

  std::unique_ptr<DownloadStep> download(bbs::DownloadAction action) {
    return std::make_unique<DownloadStep>(container, std::move(action), *cache,
                                          streamer->with_source(""), loop.blocking, loop.logger);
  }
  std::unique_ptr<UploadStep> upload(bbs::UploadAction action) {
    return std::make_unique<UploadStep>(
        container, std::move(action), client, streamer->with_source(""), loop.blocking,
        UploadOptions{.temp_dir = dir.path().string()}, loop.logger);
  }

  Loop loop;
  FileServer server;
  cupola::testing::TempDir dir{"executor-transfer"};
  http::Client client{loop.io.get_executor(), http::ClientOptions{}, loop.logger};
  std::unique_ptr<DownloadCache> cache;
  std::shared_ptr<FakeContainer> container = std::make_shared<FakeContainer>();
  std::shared_ptr<RecordingStreamer> streamer = std::make_shared<RecordingStreamer>("STG");
};

}  // namespace

TEST_CASE("a download step unpacks a fetched tarball into the container") {
  TransferHarness h;
  auto tarball = make_tarball({{"app.rb", "puts 'hello'\n"}, {"Gemfile", "source 'x'\n"}});
  h.server.put("droplet.tgz", tarball);
  bbs::DownloadAction droplet{.artifact = "droplet",
                              .from = h.server.url("/files/droplet.tgz"),
                              .to = "/home/vcap",
                              .cache_key = "droplets-app-1",
                              .user = "vcap"};

  SECTION("it streams the tarball in as the action's user and says so") {
    auto step = h.download(droplet);
    REQUIRE(h.loop.perform(*step).ok());
    auto in = h.container->streamed_in();
    REQUIRE(in.size() == 1);
    CHECK(in[0].tar_bytes == tarball);
    CHECK(in[0].dir == "/home/vcap");
    CHECK(in[0].user == "vcap");
    CHECK(
        h.streamer->texts("STG", "OUT") ==
        std::vector<std::string>{"Downloading droplet...",
                                 "Downloaded droplet (" + format_byte_size(tarball.size()) + ")"});

    SECTION("from the cache the second time, without a size") {
      auto again = h.download(droplet);
      REQUIRE(h.loop.perform(*again).ok());
      CHECK(h.server.gets("droplet.tgz") == 1);
      CHECK(h.container->streamed_in().size() == 2);
      CHECK(h.streamer->texts("STG", "OUT").back() == "Downloaded droplet");
    }
  }
  SECTION("a failed fetch fails it with Diego's message, written to stderr too") {
    droplet.from = h.server.url("/files/missing.tgz");
    auto step = h.download(droplet);
    auto result = h.loop.perform(*step);
    CHECK(has_message(result, "Downloading droplet failed"));
    CHECK(result.error().code == make_error_code(StepErrc::Failed));
    CHECK(h.streamer->texts("STG", "ERR") ==
          std::vector<std::string>{"Downloading droplet failed"});
    CHECK(h.container->streamed_in().empty());
  }
  SECTION("without an artifact it is silent until it fails") {
    droplet.artifact = "";
    droplet.from = h.server.url("/files/missing.tgz");
    auto step = h.download(droplet);
    CHECK(has_message(h.loop.perform(*step), "Downloading failed"));
    CHECK(h.streamer->texts("STG", "OUT").empty());
  }
  SECTION("a container that cannot unpack it fails it with the container's reason") {
    h.container->fail_stream_in(make_error(make_error_code(Errc::Internal), "no space left"));
    auto step = h.download(droplet);
    CHECK(has_message(h.loop.perform(*step),
                      "Copying droplet into the container failed: no space left"));
    CHECK(h.streamer->texts("STG", "ERR") ==
          std::vector<std::string>{"Copying droplet into the container failed: no space left"});
  }
  SECTION("cancelled before it starts, it fetches nothing") {
    auto step = h.download(droplet);
    step->cancel();
    CHECK(is_cancelled(h.loop.perform(*step).error()));
    CHECK(h.server.gets("droplet.tgz") == 0);
  }
}

TEST_CASE("an upload step posts a file from the container") {
  TransferHarness h;
  h.container->put_file("/tmp/droplet", "hello");
  bbs::UploadAction droplet{.artifact = "droplet",
                            .from = "/tmp/droplet",
                            .to = h.server.url("/uploads/droplet-1"),
                            .user = "vcap"};

  SECTION("with its checksums in the headers") {
    auto step = h.upload(droplet);
    REQUIRE(h.loop.perform(*step).ok());
    auto uploads = h.server.uploads();
    REQUIRE(uploads.size() == 1);
    CHECK(uploads[0].path == "/uploads/droplet-1");
    CHECK(uploads[0].body == "hello");
    CHECK(uploads[0].content_type == "application/octet-stream");
    CHECK(uploads[0].content_md5 == "XUFAKrxLKna5cZ2REBfFkg==");
    CHECK(uploads[0].content_digest == "sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:");
    CHECK(h.streamer->texts("STG", "OUT") ==
          std::vector<std::string>{"Uploading droplet...", "Uploaded droplet (5B)"});
    // Its scratch directory is gone.
    std::size_t left = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(h.dir.path())) {
      ++left;
    }
    CHECK(left == 1);  // the download cache's directory only
  }
  SECTION("a server error is retried, then fails it") {
    h.server.set_upload_status(500);
    auto step = h.upload(droplet);
    auto result = h.loop.perform(*step);
    CHECK(has_message(result, "Upload failed: Status code 500"));
    CHECK(h.server.uploads().size() == 3);
    CHECK(h.streamer->texts("STG", "ERR") ==
          std::vector<std::string>{"Failed to upload payload for droplet"});
  }
  SECTION("a file missing in the container fails it before any request") {
    droplet.from = "/tmp/nothing";
    auto step = h.upload(droplet);
    CHECK(has_message(h.loop.perform(*step),
                      "Failed to establish stream from container for droplet"));
    CHECK(h.server.uploads().empty());
  }
  SECTION("an unreachable server fails it without naming the URL") {
    droplet.to = "http://127.0.0.1:1/uploads/x?secret=1";
    droplet.artifact = "";
    auto step = h.upload(droplet);
    auto result = h.loop.perform(*step);
    CHECK(has_message(result, "Failed to upload payload"));
    CHECK(h.streamer->lines().empty());
  }
}
