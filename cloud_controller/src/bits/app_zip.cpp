#include "cloud_controller/src/bits/app_zip.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include <archive.h>
#include <archive_entry.h>

#include "cloud_controller/src/bits/app_path.h"
#include "cloud_controller/src/bits/hashing.h"
#include "cloud_controller/src/bits/utf8_locale.h"

namespace cupola::cc::bits {
namespace {

struct ReadFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ReadFree>;

std::string describe_bytes(std::uint64_t bytes) {
  constexpr std::uint64_t kMiB = 1ull << 20;
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MB";
  return std::to_string(bytes) + " bytes";
}

std::string archive_message(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "unknown error";
}

// Unpacks entries one by one; holds the running totals the limits apply to.
class Unpacker {
 public:
  Unpacker(archive* a, AppDir& dir, const UnpackLimits& limits)
      : a_(a), dir_(dir), limits_(limits) {}

  Status entry(archive_entry* entry);
  std::vector<AppFile> take_files() { return std::move(files_); }
  const std::vector<std::vector<std::string>>& links() const { return links_; }

 private:
  Status count(std::uint64_t bytes);
  Status directory(std::vector<std::string> path, unsigned perm);
  Status regular(std::vector<std::string> path, unsigned perm, archive_entry* entry);
  Status symlink(std::vector<std::string> path, const char* target);

  archive* a_;
  AppDir& dir_;
  const UnpackLimits& limits_;
  std::uint64_t total_bytes_ = 0;
  std::vector<AppFile> files_;
  std::vector<std::vector<std::string>> links_;
};

Status Unpacker::count(std::uint64_t bytes) {
  total_bytes_ += bytes;
  if (total_bytes_ > limits_.max_total_bytes) {
    return package_over_limit("it unpacks to more than " + describe_bytes(limits_.max_total_bytes));
  }
  return {};
}

Status Unpacker::entry(archive_entry* entry) {
  const char* name = archive_entry_pathname(entry);
  if (!name) return invalid_package("an entry has no name");
  auto path = split_app_path(name, limits_.max_path_bytes);
  if (!path) return std::move(path).error();
  if (archive_entry_is_encrypted(entry)) {
    return invalid_package("entry " + quote_path(name) + " is encrypted");
  }
  if (archive_entry_hardlink(entry)) {
    return invalid_package("entry " + quote_path(name) + " is a hard link");
  }
  unsigned perm = static_cast<unsigned>(archive_entry_perm(entry)) & 0777;
  switch (archive_entry_filetype(entry)) {
    case AE_IFDIR:
      return directory(std::move(*path), perm);
    case AE_IFREG:
      return regular(std::move(*path), perm, entry);
    case AE_IFLNK:
      return symlink(std::move(*path), archive_entry_symlink(entry));
    default:
      return invalid_package("entry " + quote_path(name) +
                             " is not a file, directory or symbolic link");
  }
}

Status Unpacker::directory(std::vector<std::string> path, unsigned perm) {
  if (path.empty()) return {};
  unsigned mode = (perm == 0 ? 0755 : perm) | 0755;
  if (auto ok = dir_.make_dir(path, mode); !ok) return ok;
  files_.push_back(AppFile{.path = join_path(path), .mode = mode, .directory = true});
  return {};
}

Status Unpacker::regular(std::vector<std::string> path, unsigned perm, archive_entry* entry) {
  unsigned mode = (perm == 0 ? 0644 : perm) | 0400;
  auto fd = dir_.create_file(path);
  if (!fd) return std::move(fd).error();
  std::string display = join_path(path);
  Hasher sha1(Hasher::Kind::Sha1);
  std::uint64_t size = 0;
  std::string buffer(64 * 1024, '\0');
  while (true) {
    la_ssize_t n = archive_read_data(a_, buffer.data(), buffer.size());
    if (n < 0) {
      return invalid_package("entry " + quote_path(display) + " is damaged (" +
                             archive_message(a_) + ")");
    }
    if (n == 0) break;
    auto bytes = static_cast<std::size_t>(n);
    if (auto ok = count(bytes); !ok) return ok;
    std::string_view chunk(buffer.data(), bytes);
    sha1.update(chunk);
    if (auto ok = write_all(fd->get(), chunk, "write " + display); !ok) return ok;
    size += bytes;
  }
  if (::fchmod(fd->get(), mode) != 0) return system_error("chmod " + display, errno);
  if (archive_entry_mtime_is_set(entry)) {
    // Keeping the zip's times makes the package built from an upload depend on its
    // contents only.
    timespec times[2] = {{archive_entry_mtime(entry), 0}, {archive_entry_mtime(entry), 0}};
    (void)::futimens(fd->get(), times);
  }
  auto digest = sha1.finish();
  if (!digest) return std::move(digest).error();
  files_.push_back(
      AppFile{.path = std::move(display), .mode = mode, .size = size, .sha1 = std::move(*digest)});
  return {};
}

Status Unpacker::symlink(std::vector<std::string> path, const char* target) {
  std::string display = join_path(path);
  if (!target) return invalid_package("symbolic link " + quote_path(display) + " has no target");
  std::string link_target = target;
  if (link_target.size() > limits_.max_path_bytes) {
    return package_over_limit("symbolic link " + quote_path(display) +
                              " has a target longer than " +
                              std::to_string(limits_.max_path_bytes) + " bytes");
  }
  if (auto ok = count(link_target.size()); !ok) return ok;
  if (auto ok = check_link_target(path, link_target); !ok) return ok;
  if (auto ok = dir_.make_symlink(path, link_target); !ok) return ok;
  files_.push_back(AppFile{.path = std::move(display),
                           .mode = 0777,
                           .size = link_target.size(),
                           .symlink_target = std::move(link_target)});
  links_.push_back(std::move(path));
  return {};
}

}  // namespace

Result<std::vector<AppFile>> unpack_app_zip(const std::filesystem::path& zip_path,
                                            const std::filesystem::path& dest_dir,
                                            const UnpackLimits& limits) {
  if (::access(zip_path.c_str(), R_OK) != 0) {
    return system_error("open " + zip_path.string(), errno);
  }
  auto dir = AppDir::open(dest_dir);
  if (!dir) return std::move(dir).error();

  ScopedUtf8Locale utf8;
  ArchivePtr a(archive_read_new());
  if (!a) return make_error(Errc::Internal, "libarchive: out of memory");
  // The seekable reader works from the central directory: the streaming one never sees
  // the external attributes that hold Unix modes and mark symbolic links.
  archive_read_support_format_zip_seekable(a.get());
  if (archive_read_open_filename(a.get(), zip_path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    return invalid_package("it is not a zip file (" + archive_message(a.get()) + ")");
  }

  Unpacker unpacker(a.get(), *dir, limits);
  std::uint64_t entries = 0;
  while (true) {
    archive_entry* entry = nullptr;
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      return invalid_package("it is not a valid zip file (" + archive_message(a.get()) + ")");
    }
    // ARCHIVE_WARN with no name: a name flagged as UTF-8 that is not.
    if (r == ARCHIVE_WARN && !archive_entry_pathname(entry)) {
      return invalid_package("an entry's name cannot be read (" + archive_message(a.get()) + ")");
    }
    if (++entries > limits.max_entries) {
      return package_over_limit("it has more than " + std::to_string(limits.max_entries) +
                                " entries");
    }
    if (auto ok = unpacker.entry(entry); !ok) return std::move(ok).error();
  }
  for (const auto& link : unpacker.links()) {
    if (auto ok = dir->check_link_on_disk(link); !ok) return std::move(ok).error();
  }
  return unpacker.take_files();
}

}  // namespace cupola::cc::bits
