#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/http/client/cancel_token.h"
#include "common/http/client/client.h"
#include "common/log/log.h"

namespace cupola::executor {

struct DownloadCacheOptions {
  // The cell's download directory. Its "cache" and "tmp" subdirectories belong to the cache
  // and are emptied by init().
  std::string dir;
  // Cached files beyond this many bytes are evicted, least recently used first, once no
  // download holds them.
  std::uint64_t max_cached_bytes = 10ull << 30;
  // A larger body fails the download with Errc::LimitExceeded.
  std::uint64_t max_download_bytes = 4ull << 30;
  // The longest wait for the response, and then between two pieces of its body.
  std::chrono::milliseconds idle_timeout{60'000};
};

// A downloaded file on the host. The file stays (a cached one is not evicted) while this
// object lives; a file downloaded without a cache key is removed with it. Destroy it on the
// cache's executor.
class DownloadedFile {
 public:
  virtual ~DownloadedFile() = default;
  virtual const std::string& path() const = 0;
  virtual std::uint64_t size() const = 0;
  // False when the file came from the cache without a request of this fetch's own or one it
  // joined.
  virtual bool fetched() const = 0;
};

struct Checksum {
  std::string algorithm;  // "md5", "sha1", "sha256"; empty: no check
  std::string value;      // hex, any case
};

// The cell's downloads (Diego's cached downloader): files fetched by HTTP GET, those with a
// cache key kept on disk and fetched once. Concurrent fetches of one key share one request;
// a key asked for with another URL is fetched again and replaces the old file. Files are
// written to a temporary name and renamed when complete, so a cached file is always whole.
//
// Threading: every call on the executor given (the one the client uses); it must outlive
// every fetch and every DownloadedFile. Bodies are written to disk on that executor as they
// arrive (page-cache writes of a few kilobytes each).
class DownloadCache {
 public:
  DownloadCache(boost::asio::any_io_executor executor, http::Client& client,
                DownloadCacheOptions options, log::Logger logger);
  ~DownloadCache();
  DownloadCache(const DownloadCache&) = delete;
  DownloadCache& operator=(const DownloadCache&) = delete;

  // Creates the directories and removes files an earlier run left. Errors: Unavailable.
  Status init();

  // Fetches `url`, from the cache when `cache_key` is set and known. A non-empty checksum
  // is verified (a mismatch is InvalidArgument). `cancel` stops this caller's wait (and the
  // request when it is its own); a shared request goes on for the others and the cache.
  // Errors: Unavailable (the request failed or its status is not 2xx: "Download failed:
  // Status code 404"), Timeout, LimitExceeded, Cancelled, InvalidArgument, Internal (the
  // disk).
  boost::asio::awaitable<Result<std::shared_ptr<DownloadedFile>>> fetch(std::string url,
                                                                        std::string cache_key,
                                                                        Checksum checksum,
                                                                        http::CancelToken cancel);

  // What the cache holds on disk now.
  std::uint64_t cached_bytes() const;
  std::size_t cached_files() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace cupola::executor
