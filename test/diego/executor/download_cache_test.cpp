#include "diego/executor/download_cache.h"

#include <filesystem>

#include <catch2/catch.hpp>

#include "common/testing/temp_dir.h"
#include "test/diego/executor/file_server.h"
#include "test/diego/executor/harness.h"

using namespace cupola;
using namespace cupola::executor;
using namespace cupola::executor::test;

namespace {

using FileResult = Result<std::shared_ptr<DownloadedFile>>;

struct CacheHarness {
  explicit CacheHarness(DownloadCacheOptions options = {}) {
    options.dir = dir.path().string();
    cache = std::make_unique<DownloadCache>(loop.io.get_executor(), client, options, loop.logger);
    REQUIRE(cache->init().ok());
  }

  FileResult fetch(const std::string& name, const std::string& key, Checksum checksum = {}) {
    return loop.run(cache->fetch(server.url("/files/" + name), key, checksum, {}));
  }
  // Files in one of the cache's directories.
  std::size_t files_in(std::string_view sub) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir / sub)) ++n;
    return n;
  }

  Loop loop;
  FileServer server;
  cupola::testing::TempDir dir{"executor-cache"};
  http::Client client{loop.io.get_executor(), http::ClientOptions{}, loop.logger};
  std::unique_ptr<DownloadCache> cache;
};

}  // namespace

TEST_CASE("the download cache fetches files with a cache key once") {
  CacheHarness h;
  auto tarball = make_tarball({{"app.rb", "puts 'hello'\n"}});
  h.server.put("droplet.tgz", tarball);

  SECTION("a miss downloads, a hit reads the same file from disk") {
    auto first = h.fetch("droplet.tgz", "droplets-app-1");
    REQUIRE(first.ok());
    CHECK((*first)->fetched());
    CHECK((*first)->size() == tarball.size());
    CHECK(cupola::testing::read_file((*first)->path()) == tarball);
    auto path = (*first)->path();
    first = FileResult(make_error(make_error_code(Errc::Internal), "released"));

    auto second = h.fetch("droplet.tgz", "droplets-app-1");
    REQUIRE(second.ok());
    CHECK_FALSE((*second)->fetched());
    CHECK((*second)->path() == path);
    CHECK(h.server.gets("droplet.tgz") == 1);
    CHECK(h.cache->cached_files() == 1);
    CHECK(h.cache->cached_bytes() == tarball.size());
    CHECK(h.files_in("tmp") == 0);
  }
  SECTION("concurrent fetches of one key share one request") {
    auto url = h.server.url("/files/droplet.tgz");
    auto a = std::make_shared<std::optional<FileResult>>();
    auto b = std::make_shared<std::optional<FileResult>>();
    asio::co_spawn(h.loop.io, Loop::store_into(h.cache->fetch(url, "k", {}, {}), a),
                   asio::detached);
    asio::co_spawn(h.loop.io, Loop::store_into(h.cache->fetch(url, "k", {}, {}), b),
                   asio::detached);
    h.loop.run_until([&] { return a->has_value() && b->has_value(); });
    auto& first = **a;
    auto& second = **b;
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK((*first)->path() == (*second)->path());
    CHECK((*first)->fetched());
    CHECK((*second)->fetched());
    CHECK(h.server.gets("droplet.tgz") == 1);
  }
  SECTION("a key asked for with another URL is fetched again and replaces the old file") {
    h.server.put("droplet-v2.tgz", "v2");
    auto old = h.fetch("droplet.tgz", "droplets-app");
    REQUIRE(old.ok());
    auto old_path = (*old)->path();
    auto fresh = h.fetch("droplet-v2.tgz", "droplets-app");
    REQUIRE(fresh.ok());
    CHECK(cupola::testing::read_file((*fresh)->path()) == "v2");
    CHECK(std::filesystem::exists(old_path));  // still in use
    old = FileResult(make_error(make_error_code(Errc::Internal), "released"));
    CHECK_FALSE(std::filesystem::exists(old_path));
    CHECK(h.cache->cached_files() == 1);
    CHECK(h.cache->cached_bytes() == 2);
  }
  SECTION("a failed download is not cached") {
    auto missing = h.fetch("nothing.tgz", "k");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message == "Download failed: Status code 404");
    CHECK(missing.error().code == make_error_code(Errc::Unavailable));
    h.server.put("nothing.tgz", "now there");
    auto again = h.fetch("nothing.tgz", "k");
    REQUIRE(again.ok());
    CHECK(h.server.gets("nothing.tgz") == 2);
    CHECK(h.files_in("tmp") == 0);
  }
  SECTION("checksums are verified on misses and hits") {
    // sha256("hello")
    h.server.put("hello", "hello");
    Checksum good{"SHA256", "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824"};
    CHECK(h.fetch("hello", "hello-key", good).ok());
    CHECK(h.fetch("hello", "hello-key", good).ok());
    auto bad = h.fetch("hello", "hello-key", Checksum{"md5", "00"});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message ==
          "checksum mismatch: expected md5 00, got 5d41402abc4b2a76b9719d911017c592");
    CHECK(h.server.gets("hello") == 1);
  }
}

TEST_CASE("downloads without a cache key are temporary") {
  CacheHarness h;
  h.server.put("package.zip", "zip bytes");
  auto a = h.fetch("package.zip", "");
  REQUIRE(a.ok());
  auto path = (*a)->path();
  CHECK(cupola::testing::read_file(path) == "zip bytes");
  CHECK(h.cache->cached_files() == 0);
  a = FileResult(make_error(make_error_code(Errc::Internal), "released"));
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(h.fetch("package.zip", "").ok());
  CHECK(h.server.gets("package.zip") == 2);
}

TEST_CASE("the download cache evicts the least recently used files beyond its size") {
  CacheHarness h(DownloadCacheOptions{.max_cached_bytes = 20});
  h.server.put("a", std::string(8, 'a'));
  h.server.put("b", std::string(8, 'b'));
  h.server.put("c", std::string(8, 'c'));

  SECTION("unused files go, oldest use first") {
    CHECK(h.fetch("a", "a").ok());
    CHECK(h.fetch("b", "b").ok());
    CHECK(h.fetch("a", "a").ok());  // a is now used more recently than b
    CHECK(h.fetch("c", "c").ok());  // 24 bytes: b goes
    CHECK(h.cache->cached_bytes() == 16);
    CHECK(h.fetch("a", "a").ok());
    CHECK(h.fetch("b", "b").ok());
    CHECK(h.server.gets("a") == 1);
    CHECK(h.server.gets("b") == 2);
    CHECK(h.files_in("cache") == 2);
  }
  SECTION("a file in use stays until it is released") {
    auto a = h.fetch("a", "a");
    REQUIRE(a.ok());
    auto b = h.fetch("b", "b");
    REQUIRE(b.ok());
    auto c = h.fetch("c", "c");
    REQUIRE(c.ok());
    CHECK(h.cache->cached_bytes() == 24);  // all in use
    a = FileResult(make_error(make_error_code(Errc::Internal), "released"));
    CHECK(h.cache->cached_bytes() == 16);
    CHECK(h.files_in("cache") == 2);
  }
}

TEST_CASE("the download cache bounds bodies and can be cancelled") {
  CacheHarness h(DownloadCacheOptions{.max_download_bytes = 10});
  h.server.put("big", std::string(11, 'x'));
  auto big = h.fetch("big", "big");
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == make_error_code(Errc::LimitExceeded));
  CHECK(h.files_in("tmp") == 0);

  http::CancelToken cancel;
  cancel.cancel();
  auto cancelled = h.loop.run(h.cache->fetch(h.server.url("/files/big"), "", {}, cancel));
  REQUIRE_FALSE(cancelled.ok());
  CHECK(cancelled.error().code == make_error_code(Errc::Cancelled));
}
