#include "diego/executor/download_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "diego/executor/digest.h"
#include "diego/executor/steps/async.h"

namespace cupola::executor {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

Error disk_error(std::string what, const std::string& path, int err) {
  return make_error(make_error_code(Errc::Internal), what + " " + path + ": " + std::strerror(err));
}

// A finished download in the temporary directory.
struct Download {
  std::string path;
  std::uint64_t size = 0;
  std::array<std::string, 3> digests;  // hex, by DigestAlgorithm
};

Status verify(const std::array<std::string, 3>& digests, const Checksum& checksum) {
  if (checksum.algorithm.empty() && checksum.value.empty()) return {};
  auto algorithm = parse_digest_algorithm(checksum.algorithm);
  if (!algorithm) {
    return make_error(make_error_code(Errc::InvalidArgument),
                      "unknown checksum algorithm \"" + checksum.algorithm + "\"");
  }
  std::string want;
  for (char c : checksum.value)
    want += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto& got = digests[static_cast<std::size_t>(*algorithm)];
  if (got == want) return {};
  return make_error(make_error_code(Errc::InvalidArgument),
                    "checksum mismatch: expected " + std::string(digest_name(*algorithm)) + " " +
                        want + ", got " + got);
}

struct Waiter {
  explicit Waiter(asio::any_io_executor ex) : wake(std::move(ex)) {}
  Wakeup wake;
  bool pinned = false;  // counted as a user when the file became ready
};

struct Entry {
  enum class State { Fetching, Ready, Failed };
  std::string key;
  std::string url;
  State state = State::Fetching;
  Download file;
  Error error;
  int users = 0;
  std::uint64_t last_used = 0;
  bool stale = false;  // out of the cache: the file goes with its last user
  std::vector<std::shared_ptr<Waiter>> waiters;
};

}  // namespace

struct DownloadCache::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::any_io_executor ex, http::Client& c, DownloadCacheOptions o, log::Logger l)
      : executor(std::move(ex)), client(c), options(std::move(o)), log(std::move(l)) {}

  fs::path cache_dir() const { return fs::path(options.dir) / "cache"; }
  fs::path tmp_dir() const { return fs::path(options.dir) / "tmp"; }

  asio::awaitable<Result<Download>> download(std::string url, http::CancelToken cancel);
  static asio::awaitable<void> fill(std::shared_ptr<Impl> self, std::shared_ptr<Entry> entry);
  std::shared_ptr<Entry> lookup(const std::string& key, const std::string& url);
  void make_stale(std::shared_ptr<Entry> entry);
  void release(const std::shared_ptr<Entry>& entry);
  void evict();
  void remove_file(const std::string& path) {
    std::error_code ec;
    fs::remove(path, ec);
  }

  asio::any_io_executor executor;
  http::Client& client;
  DownloadCacheOptions options;
  log::Logger log;
  http::CancelToken shutdown;
  std::map<std::string, std::shared_ptr<Entry>> entries;
  std::uint64_t cached_bytes = 0;
  std::uint64_t tick = 0;
  std::uint64_t next_file = 0;
};

namespace {

class CachedFile final : public DownloadedFile {
 public:
  CachedFile(std::shared_ptr<DownloadCache::Impl> impl, std::shared_ptr<Entry> entry, bool fetched)
      : impl_(std::move(impl)), entry_(std::move(entry)), fetched_(fetched) {}
  ~CachedFile() override { impl_->release(entry_); }

  const std::string& path() const override { return entry_->file.path; }
  std::uint64_t size() const override { return entry_->file.size; }
  bool fetched() const override { return fetched_; }

 private:
  std::shared_ptr<DownloadCache::Impl> impl_;
  std::shared_ptr<Entry> entry_;
  bool fetched_;
};

class TempFile final : public DownloadedFile {
 public:
  explicit TempFile(Download d) : d_(std::move(d)) {}
  ~TempFile() override {
    std::error_code ec;
    fs::remove(d_.path, ec);
  }
  const std::string& path() const override { return d_.path; }
  std::uint64_t size() const override { return d_.size; }
  bool fetched() const override { return true; }

 private:
  Download d_;
};

}  // namespace

asio::awaitable<Result<Download>> DownloadCache::Impl::download(std::string url,
                                                                http::CancelToken cancel) {
  Download d;
  d.path = (tmp_dir() / (std::to_string(++next_file) + ".part")).string();
  int fd = ::open(d.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) co_return disk_error("cannot create", d.path, errno);

  Digester digester;
  bool too_big = false;
  int write_errno = 0;
  http::BodyHandler on_body = [&](std::string_view chunk) {
    if (d.size + chunk.size() > options.max_download_bytes) {
      too_big = true;
      return false;
    }
    digester.update(chunk);
    while (!chunk.empty()) {
      auto n = ::write(fd, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        write_errno = errno;
        return false;
      }
      chunk.remove_prefix(static_cast<std::size_t>(n));
      d.size += static_cast<std::uint64_t>(n);
    }
    return true;
  };
  http::ClientRequest request;
  request.url = url;
  request.timeout = options.idle_timeout;
  http::StreamOptions stream_options;
  stream_options.idle_timeout = options.idle_timeout;
  stream_options.cancel = cancel;
  auto response = co_await client.stream(std::move(request), on_body, stream_options);
  ::close(fd);

  Status outcome;
  if (too_big) {
    outcome = make_error(
        make_error_code(Errc::LimitExceeded),
        "download is larger than " + std::to_string(options.max_download_bytes) + " bytes");
  } else if (write_errno != 0) {
    outcome = disk_error("cannot write", d.path, write_errno);
  } else if (!response) {
    outcome = response.error();
  } else if (!response->ok()) {
    outcome = make_error(make_error_code(Errc::Unavailable),
                         "Download failed: Status code " + std::to_string(response->status));
  }
  if (!outcome) {
    remove_file(d.path);
    co_return std::move(outcome).error();
  }
  digester.finish();
  for (auto a : {DigestAlgorithm::Md5, DigestAlgorithm::Sha1, DigestAlgorithm::Sha256}) {
    d.digests[static_cast<std::size_t>(a)] = digester.hex(a);
  }
  co_return d;
}

asio::awaitable<void> DownloadCache::Impl::fill(std::shared_ptr<Impl> self,
                                                std::shared_ptr<Entry> entry) {
  auto got = co_await self->download(entry->url, self->shutdown);
  Status stored;
  if (!got) {
    stored = got.error();
  } else {
    auto final_path = (self->cache_dir() / std::to_string(++self->next_file)).string();
    std::error_code ec;
    fs::rename(got->path, final_path, ec);
    if (ec) {
      self->remove_file(got->path);
      stored = make_error(make_error_code(Errc::Internal),
                          "cannot store " + final_path + ": " + ec.message());
    } else {
      got->path = final_path;
    }
  }
  if (!stored) {
    self->log.error("download-failed", stored.error().message,
                    {{"cache_key", entry->key}, {"url", entry->url}});
    entry->state = Entry::State::Failed;
    entry->error = stored.error();
    auto it = self->entries.find(entry->key);
    if (it != self->entries.end() && it->second == entry) self->entries.erase(it);
  } else {
    entry->file = std::move(*got);
    entry->state = Entry::State::Ready;
    entry->last_used = ++self->tick;
    if (!entry->stale) self->cached_bytes += entry->file.size;
  }
  for (auto& w : entry->waiters) {
    if (entry->state == Entry::State::Ready) {
      w->pinned = true;
      ++entry->users;
    }
    w->wake.notify();
  }
  if (entry->state == Entry::State::Ready) {
    if (entry->stale && entry->users == 0) self->remove_file(entry->file.path);
    self->evict();
  }
}

std::shared_ptr<Entry> DownloadCache::Impl::lookup(const std::string& key, const std::string& url) {
  auto it = entries.find(key);
  if (it != entries.end()) {
    if (it->second->url == url) return it->second;
    make_stale(it->second);
  }
  auto entry = std::make_shared<Entry>();
  entry->key = key;
  entry->url = url;
  entries[key] = entry;
  asio::co_spawn(executor, fill(shared_from_this(), entry), asio::detached);
  return entry;
}

void DownloadCache::Impl::make_stale(std::shared_ptr<Entry> entry) {
  entries.erase(entry->key);
  entry->stale = true;
  if (entry->state != Entry::State::Ready) return;
  cached_bytes -= entry->file.size;
  if (entry->users == 0) remove_file(entry->file.path);
}

void DownloadCache::Impl::release(const std::shared_ptr<Entry>& entry) {
  --entry->users;
  entry->last_used = ++tick;
  if (entry->stale) {
    if (entry->users == 0) remove_file(entry->file.path);
    return;
  }
  evict();
}

void DownloadCache::Impl::evict() {
  while (cached_bytes > options.max_cached_bytes) {
    std::shared_ptr<Entry> oldest;
    for (const auto& [key, e] : entries) {
      if (e->state != Entry::State::Ready || e->users > 0) continue;
      if (!oldest || e->last_used < oldest->last_used) oldest = e;
    }
    if (!oldest) return;
    log.info("evicted",
             {{"cache_key", oldest->key}, {"size", static_cast<std::int64_t>(oldest->file.size)}});
    make_stale(oldest);
  }
}

DownloadCache::DownloadCache(asio::any_io_executor executor, http::Client& client,
                             DownloadCacheOptions options, log::Logger logger)
    : impl_(std::make_shared<Impl>(std::move(executor), client, std::move(options),
                                   logger.session("download-cache"))) {}

DownloadCache::~DownloadCache() { impl_->shutdown.cancel(); }

Status DownloadCache::init() {
  for (const auto& dir : {impl_->cache_dir(), impl_->tmp_dir()}) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (!ec) fs::create_directories(dir, ec);
    if (ec) {
      return make_error(make_error_code(Errc::Unavailable),
                        "cannot prepare download directory " + dir.string() + ": " + ec.message());
    }
  }
  return {};
}

asio::awaitable<Result<std::shared_ptr<DownloadedFile>>> DownloadCache::fetch(
    std::string url, std::string cache_key, Checksum checksum, http::CancelToken cancel) {
  auto impl = impl_;
  if (!checksum.algorithm.empty() && !parse_digest_algorithm(checksum.algorithm)) {
    co_return make_error(make_error_code(Errc::InvalidArgument),
                         "unknown checksum algorithm \"" + checksum.algorithm + "\"");
  }
  if (cache_key.empty()) {
    auto got = co_await impl->download(std::move(url), cancel);
    if (!got) co_return std::move(got).error();
    auto digests = got->digests;
    auto file = std::make_shared<TempFile>(std::move(*got));
    if (auto ok = verify(digests, checksum); !ok) co_return std::move(ok).error();
    co_return std::shared_ptr<DownloadedFile>(std::move(file));
  }

  auto entry = impl->lookup(cache_key, url);
  bool fetched = entry->state == Entry::State::Fetching;
  std::shared_ptr<DownloadedFile> file;
  if (entry->state == Entry::State::Fetching) {
    auto waiter = std::make_shared<Waiter>(impl->executor);
    entry->waiters.push_back(waiter);
    cancel.set_hook([ex = impl->executor, w = std::weak_ptr<Waiter>(waiter)] {
      asio::post(ex, [w] {
        if (auto s = w.lock()) s->wake.notify();
      });
    });
    while (entry->state == Entry::State::Fetching && !cancel.cancelled()) {
      co_await waiter->wake.wait();
    }
    cancel.reset_hook();
    std::erase(entry->waiters, waiter);
    if (entry->state == Entry::State::Failed) co_return entry->error;
    if (entry->state == Entry::State::Ready) {
      if (!waiter->pinned) ++entry->users;
      file = std::make_shared<CachedFile>(impl, entry, fetched);
    }
  } else {
    ++entry->users;
    entry->last_used = ++impl->tick;
    file = std::make_shared<CachedFile>(impl, entry, fetched);
  }
  if (cancel.cancelled()) co_return make_error(make_error_code(Errc::Cancelled), "cancelled");
  if (auto ok = verify(entry->file.digests, checksum); !ok) co_return std::move(ok).error();
  co_return file;
}

std::uint64_t DownloadCache::cached_bytes() const { return impl_->cached_bytes; }

std::size_t DownloadCache::cached_files() const {
  return static_cast<std::size_t>(
      std::count_if(impl_->entries.begin(), impl_->entries.end(),
                    [](const auto& kv) { return kv.second->state == Entry::State::Ready; }));
}

}  // namespace cupola::executor
