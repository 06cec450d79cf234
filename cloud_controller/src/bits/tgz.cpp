#include "cloud_controller/src/bits/tgz.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <archive.h>
#include <archive_entry.h>

#include "cloud_controller/src/bits/file_io.h"
#include "cloud_controller/src/bits/utf8_locale.h"

namespace cupola::cc::bits {
namespace fs = std::filesystem;

namespace {

struct WriteFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

// Where libarchive's output goes: the file, and the digests of every byte of it.
struct Sink {
  int fd = -1;
  std::string name;
  Hasher sha1{Hasher::Kind::Sha1};
  Hasher sha256{Hasher::Kind::Sha256};
  std::uint64_t size = 0;
  std::optional<Error> error;
};

la_ssize_t sink_write(archive*, void* data, const void* buffer, size_t length) {
  auto* sink = static_cast<Sink*>(data);
  std::string_view chunk(static_cast<const char*>(buffer), length);
  if (auto ok = write_all(sink->fd, chunk, "write " + sink->name); !ok) {
    sink->error = std::move(ok).error();
    return -1;
  }
  sink->sha1.update(chunk);
  sink->sha256.update(chunk);
  sink->size += length;
  return static_cast<la_ssize_t>(length);
}

// The tree below `root` (without it), relative names in byte order.
Result<std::vector<std::string>> list_tree(const fs::path& root) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    names.push_back(it->path().lexically_relative(root).generic_string());
  }
  if (ec) return system_error("list " + root.string(), ec.value());
  std::sort(names.begin(), names.end());
  return names;
}

Error fail(archive* a, const Sink& sink, const std::string& what) {
  if (sink.error) return *sink.error;
  const char* message = archive_error_string(a);
  return make_error(Errc::Internal, what + ": " + (message ? message : "libarchive failed"));
}

Status write_contents(archive* a, const Sink& sink, const fs::path& file, std::uint64_t size) {
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return system_error("open " + file.string(), errno);
  std::string buffer(64 * 1024, '\0');
  std::uint64_t left = size;
  while (left > 0) {
    auto n = read_some(fd.get(), buffer.data(), std::min<std::uint64_t>(buffer.size(), left),
                       "read " + file.string());
    if (!n) return std::move(n).error();
    // A file that shrank since it was listed is padded by libarchive to the size in its
    // header; the archive stays well-formed.
    if (*n == 0) break;
    if (archive_write_data(a, buffer.data(), *n) < 0)
      return fail(a, sink, "write " + file.string());
    left -= *n;
  }
  return {};
}

Status add_entry(archive* a, const Sink& sink, const fs::path& root, const std::string& name) {
  fs::path full = root / name;
  struct stat st {};
  if (::lstat(full.c_str(), &st) != 0) return system_error("stat " + full.string(), errno);
  std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_perm(entry.get(), st.st_mode & 0777);
  archive_entry_set_mtime(entry.get(), st.st_mtime, 0);
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  std::uint64_t size = 0;
  if (S_ISREG(st.st_mode)) {
    size = static_cast<std::uint64_t>(st.st_size);
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  } else if (S_ISDIR(st.st_mode)) {
    archive_entry_set_filetype(entry.get(), AE_IFDIR);
  } else if (S_ISLNK(st.st_mode)) {
    std::string target(PATH_MAX, '\0');
    ssize_t n = ::readlink(full.c_str(), target.data(), target.size());
    if (n < 0) return system_error("readlink " + full.string(), errno);
    target.resize(static_cast<std::size_t>(n));
    archive_entry_set_filetype(entry.get(), AE_IFLNK);
    archive_entry_set_symlink(entry.get(), target.c_str());
  } else {
    return make_error(Errc::InvalidArgument,
                      "cannot package " + full.string() + ": it is a device, FIFO or socket");
  }
  if (archive_write_header(a, entry.get()) < ARCHIVE_WARN) {
    return fail(a, sink, "write header of " + name);
  }
  if (size > 0) {
    if (auto ok = write_contents(a, sink, full, size); !ok) return ok;
  }
  return {};
}

}  // namespace

Result<Digest> write_tgz(const fs::path& src_dir, const fs::path& out_path) {
  auto names = list_tree(src_dir);
  if (!names) return std::move(names).error();

  UniqueFd out(::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!out) return system_error("create " + out_path.string(), errno);
  Sink sink;
  sink.fd = out.get();
  sink.name = out_path.string();

  ScopedUtf8Locale utf8;
  std::unique_ptr<archive, WriteFree> a(archive_write_new());
  if (!a) return make_error(Errc::Internal, "libarchive: out of memory");
  if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
      archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr) != ARCHIVE_OK ||
      archive_write_open2(a.get(), &sink, nullptr, sink_write, nullptr, nullptr) != ARCHIVE_OK) {
    return fail(a.get(), sink, "start " + out_path.string());
  }
  for (const auto& name : *names) {
    if (auto ok = add_entry(a.get(), sink, src_dir, name); !ok) return std::move(ok).error();
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    return fail(a.get(), sink, "finish " + out_path.string());
  }
  if (auto ok = sync_fd(out.get(), "fsync " + out_path.string()); !ok) return std::move(ok).error();

  Digest digest;
  auto sha1 = sink.sha1.finish();
  if (!sha1) return std::move(sha1).error();
  auto sha256 = sink.sha256.finish();
  if (!sha256) return std::move(sha256).error();
  digest.sha1 = std::move(*sha1);
  digest.sha256 = std::move(*sha256);
  digest.size = sink.size;
  return digest;
}

}  // namespace cupola::cc::bits
