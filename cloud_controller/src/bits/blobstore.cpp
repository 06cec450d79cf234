#include "cloud_controller/src/bits/blobstore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "cloud_controller/src/bits/file_io.h"

namespace cupola::cc::bits {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxKeyBytes = 1024;

bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Unlinks a staged file unless the write it belongs to went through.
class StagedFile {
 public:
  explicit StagedFile(fs::path path) : path_(std::move(path)) {}
  ~StagedFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  const fs::path& path() const { return path_; }
  void keep() { path_.clear(); }

 private:
  fs::path path_;
};

Result<UniqueFd> open_regular(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) {
    if (errno == ENOENT) return make_error(Errc::NotFound, path.string() + " does not exist");
    return system_error("open " + path.string(), errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return system_error("stat " + path.string(), errno);
  if (!S_ISREG(st.st_mode)) {
    return make_error(Errc::InvalidArgument, path.string() + " is not a regular file");
  }
  return fd;
}

// Copies the rest of `from` into the staged file and syncs it.
Status fill(const fs::path& staged, int from) {
  UniqueFd to(::open(staged.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
  if (!to) return system_error("open " + staged.string(), errno);
  auto copied = copy_fd(from, to.get(), "copy to " + staged.string(), [](std::string_view) {});
  if (!copied) return std::move(copied).error();
  return sync_fd(to.get(), "fsync " + staged.string());
}

}  // namespace

Status check_blob_key(std::string_view key) {
  auto invalid = [&](std::string_view why) {
    return make_error(
        Errc::InvalidArgument,
        "invalid blobstore key '" + std::string(key.substr(0, 200)) + "': " + std::string(why));
  };
  if (key.empty()) return invalid("it is empty");
  if (key.size() > kMaxKeyBytes) return invalid("it is too long");
  std::size_t start = 0;
  while (true) {
    std::size_t end = key.find('/', start);
    std::string_view segment = key.substr(start, end == std::string_view::npos ? end : end - start);
    if (segment.empty()) return invalid("it has an empty segment");
    if (segment.front() == '.') return invalid("a segment starts with '.'");
    for (char c : segment) {
      if (!key_char(c)) return invalid("segments may hold only letters, digits, '.', '_' and '-'");
    }
    if (end == std::string_view::npos) return {};
    start = end + 1;
  }
}

Result<Blobstore> Blobstore::open(const fs::path& root) {
  std::error_code ec;
  fs::path absolute = fs::absolute(root, ec);
  if (ec) return system_error("blobstore root " + root.string(), ec.value());
  Blobstore store(absolute.lexically_normal());
  fs::create_directories(store.tmp_dir(), ec);
  if (ec) return system_error("create " + store.tmp_dir().string(), ec.value());
  return store;
}

Result<fs::path> Blobstore::path(std::string_view key) const {
  if (auto ok = check_blob_key(key); !ok) return std::move(ok).error();
  return root_ / key;
}

Result<bool> Blobstore::exists(std::string_view key) const {
  auto p = path(key);
  if (!p) return std::move(p).error();
  struct stat st {};
  if (::stat(p->c_str(), &st) == 0) return S_ISREG(st.st_mode);
  if (errno == ENOENT || errno == ENOTDIR) return false;
  return system_error("stat " + p->string(), errno);
}

Result<std::uint64_t> Blobstore::size(std::string_view key) const {
  auto p = path(key);
  if (!p) return std::move(p).error();
  struct stat st {};
  if (::stat(p->c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) return system_error("stat " + p->string(), errno);
    return make_error(Errc::NotFound, "no blob at " + std::string(key));
  }
  if (!S_ISREG(st.st_mode)) return make_error(Errc::NotFound, "no blob at " + std::string(key));
  return static_cast<std::uint64_t>(st.st_size);
}

Status Blobstore::commit(const fs::path& staged, const fs::path& dest) const {
  std::error_code ec;
  fs::create_directories(dest.parent_path(), ec);
  if (ec) return system_error("create " + dest.parent_path().string(), ec.value());
  if (::rename(staged.c_str(), dest.c_str()) != 0) {
    return system_error("rename to " + dest.string(), errno);
  }
  return sync_dir(dest.parent_path());
}

Status Blobstore::put_file(std::string_view key, const fs::path& src) {
  auto dest = path(key);
  if (!dest) return std::move(dest).error();
  auto fd = open_regular(src);
  if (!fd) return std::move(fd).error();
  if (auto ok = sync_fd(fd->get(), "fsync " + src.string()); !ok) return ok;

  std::error_code ec;
  fs::create_directories(dest->parent_path(), ec);
  if (ec) return system_error("create " + dest->parent_path().string(), ec.value());
  if (::rename(src.c_str(), dest->c_str()) == 0) return sync_dir(dest->parent_path());
  if (errno != EXDEV) return system_error("rename " + src.string(), errno);

  auto tmp = temp_path();
  if (!tmp) return std::move(tmp).error();
  StagedFile staged(std::move(*tmp));
  if (auto ok = fill(staged.path(), fd->get()); !ok) return ok;
  if (auto ok = commit(staged.path(), *dest); !ok) return ok;
  staged.keep();
  if (::unlink(src.c_str()) != 0 && errno != ENOENT) {
    return system_error("remove " + src.string(), errno);
  }
  return {};
}

Status Blobstore::put_copy(std::string_view key, const fs::path& src) {
  auto dest = path(key);
  if (!dest) return std::move(dest).error();
  auto fd = open_regular(src);
  if (!fd) return std::move(fd).error();
  auto tmp = temp_path();
  if (!tmp) return std::move(tmp).error();
  StagedFile staged(std::move(*tmp));

  // The staged name is reused for the link; mkstemp's random names are never handed out
  // twice within the store, so nobody else can take it in between.
  ::unlink(staged.path().c_str());
  if (::link(src.c_str(), staged.path().c_str()) == 0) {
    if (auto ok = sync_fd(fd->get(), "fsync " + src.string()); !ok) return ok;
  } else {
    // EXDEV across file systems; EPERM under fs.protected_hardlinks for files of others.
    UniqueFd created(::open(staged.path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!created) return system_error("create " + staged.path().string(), errno);
    if (auto ok = fill(staged.path(), fd->get()); !ok) return ok;
  }
  if (auto ok = commit(staged.path(), *dest); !ok) return ok;
  staged.keep();
  return {};
}

Status Blobstore::put_string(std::string_view key, std::string_view bytes) {
  auto dest = path(key);
  if (!dest) return std::move(dest).error();
  auto tmp = temp_path();
  if (!tmp) return std::move(tmp).error();
  StagedFile staged(std::move(*tmp));
  {
    UniqueFd fd(::open(staged.path().c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (!fd) return system_error("open " + staged.path().string(), errno);
    if (auto ok = write_all(fd.get(), bytes, "write " + staged.path().string()); !ok) return ok;
    if (auto ok = sync_fd(fd.get(), "fsync " + staged.path().string()); !ok) return ok;
  }
  if (auto ok = commit(staged.path(), *dest); !ok) return ok;
  staged.keep();
  return {};
}

Status Blobstore::copy_to(std::string_view key, const fs::path& dest) const {
  auto src = path(key);
  if (!src) return std::move(src).error();
  auto from = open_regular(*src);
  if (!from) {
    if (from.error().code == Errc::NotFound) {
      return make_error(Errc::NotFound, "no blob at " + std::string(key));
    }
    return std::move(from).error();
  }
  UniqueFd to(::open(dest.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!to) return system_error("open " + dest.string(), errno);
  auto copied = copy_fd(from->get(), to.get(), "copy to " + dest.string(), [](std::string_view) {});
  if (!copied) return std::move(copied).error();
  return {};
}

Status Blobstore::remove(std::string_view key) {
  auto p = path(key);
  if (!p) return std::move(p).error();
  if (::unlink(p->c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
    return system_error("remove " + p->string(), errno);
  }
  return {};
}

Result<fs::path> Blobstore::temp_path() const {
  std::string name = (tmp_dir() / "blob-XXXXXX").string();
  int fd = ::mkstemp(name.data());
  if (fd < 0) return system_error("create a file in " + tmp_dir().string(), errno);
  ::close(fd);
  return fs::path(name);
}

}  // namespace cupola::cc::bits
