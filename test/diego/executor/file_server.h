#pragma once

// A real HTTP server on 127.0.0.1 (its own thread) serving blobs and taking uploads, as the
// Cloud Controller's blobstore and droplet endpoints do for the executor.

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/http/server.h"
#include "common/testing/temp_dir.h"
#include "test/common/http/server_fixture.h"

namespace cupola::executor::test {

class FileServer {
 public:
  struct Upload {
    std::string path;
    std::string body;
    std::string content_type;
    std::string content_md5;
    std::string content_digest;
  };

  FileServer() {
    namespace asio = boost::asio;
    http::Router router;
    router.get(
        "/files/:name", [this](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          std::string name(ctx.params.get("name"));
          std::lock_guard lock(mu_);
          ++gets_[name];
          auto it = files_.find(name);
          if (it == files_.end()) co_return http::make_response(http::StatusCode::not_found, "");
          co_return http::make_response(http::StatusCode::ok, it->second, "application/gzip");
        });
    router.post(
        "/uploads/:name", [this](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto header = [&](std::string_view name) {
            auto it = ctx.request.find(name);
            return it == ctx.request.end() ? std::string() : std::string(it->value());
          };
          std::lock_guard lock(mu_);
          uploads_.push_back(Upload{std::string(ctx.path()), ctx.request.body(),
                                    header("Content-Type"), header("Content-MD5"),
                                    header("Content-Digest")});
          co_return http::make_response(static_cast<http::StatusCode>(upload_status_.load()), "");
        });
    fixture_ = std::make_unique<http::test::ServerFixture>(std::move(router));
  }

  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(fixture_->port()) + std::string(path);
  }
  void put(const std::string& name, std::string content) {
    std::lock_guard lock(mu_);
    files_[name] = std::move(content);
  }
  int gets(const std::string& name) {
    std::lock_guard lock(mu_);
    return gets_[name];
  }
  std::vector<Upload> uploads() {
    std::lock_guard lock(mu_);
    return uploads_;
  }
  void set_upload_status(unsigned status) { upload_status_ = status; }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::map<std::string, int> gets_;
  std::vector<Upload> uploads_;
  std::atomic<unsigned> upload_status_{201};
  std::unique_ptr<http::test::ServerFixture> fixture_;
};

// A gzipped tarball holding `files` (name → content), made with tar(1).
inline std::string make_tarball(const std::map<std::string, std::string>& files) {
  cupola::testing::TempDir dir("executor-tar");
  std::filesystem::create_directories(dir / "src");
  for (const auto& [name, content] : files) dir.write_file("src/" + name, content);
  auto command =
      "tar -czf '" + (dir / "out.tgz").string() + "' -C '" + (dir / "src").string() + "' .";
  REQUIRE(std::system(command.c_str()) == 0);
  return cupola::testing::read_file(dir / "out.tgz");
}

}  // namespace cupola::executor::test
