#include "cloud_controller/src/bits/resource_pool.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

#include "cloud_controller/src/bits/app_path.h"
#include "cloud_controller/src/bits/file_io.h"
#include "cloud_controller/src/bits/hashing.h"

namespace cupola::cc::bits {
namespace {

// The longest mode the clients send: a file type and permissions, "0100755".
constexpr std::size_t kMaxModeDigits = 7;

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

Result<unsigned> parse_octal_mode(std::string_view mode) {
  if (mode.empty() || mode.size() > kMaxModeDigits) {
    return invalid_package("mode " + quote_path(mode) + " is not an octal file mode");
  }
  unsigned value = 0;
  for (char c : mode) {
    if (c < '0' || c > '7') {
      return invalid_package("mode " + quote_path(mode) + " is not an octal file mode");
    }
    value = value * 8 + static_cast<unsigned>(c - '0');
  }
  return value & 0777;
}

std::string ResourcePool::key_for(std::string_view sha1) {
  std::string key = "resources/";
  key += sha1.substr(0, 2);
  key += '/';
  key += sha1;
  return key;
}

Result<std::vector<Resource>> ResourcePool::match(const std::vector<Resource>& resources) const {
  std::vector<Resource> found;
  for (const auto& resource : resources) {
    std::string sha1 = lowercase(resource.sha1);
    if (!is_sha1_hex(sha1) || !poolable(resource.size)) continue;
    auto size = store_.size(key_for(sha1));
    if (!size) {
      if (size.error().code == Errc::NotFound) continue;
      return std::move(size).error();
    }
    if (*size == resource.size) found.push_back(resource);
  }
  return found;
}

Status ResourcePool::add(const std::filesystem::path& file_path, std::string_view sha1,
                         std::uint64_t size) {
  std::string hex = lowercase(sha1);
  if (!is_sha1_hex(hex)) {
    return make_error(Errc::InvalidArgument, "'" + std::string(sha1) + "' is not a SHA-1");
  }
  if (!poolable(size)) return {};
  struct stat st {};
  if (::lstat(file_path.c_str(), &st) != 0)
    return system_error("stat " + file_path.string(), errno);
  if (!S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) != size) {
    return make_error(Errc::InvalidArgument, file_path.string() + " is not a regular file of " +
                                                 std::to_string(size) + " bytes");
  }
  std::string key = key_for(hex);
  auto present = store_.exists(key);
  if (!present) return std::move(present).error();
  if (*present) return {};
  return store_.put_copy(key, file_path);
}

Result<AppFile> ResourcePool::materialize(const std::filesystem::path& dest_root,
                                          const Resource& resource) const {
  auto path = split_app_path(resource.path, UnpackLimits{}.max_path_bytes);
  if (!path) return std::move(path).error();
  std::string display = join_path(*path);
  std::string sha1 = lowercase(resource.sha1);
  if (!is_sha1_hex(sha1)) {
    return invalid_package("resource " + quote_path(display) + " has a malformed SHA-1");
  }
  auto perm = parse_octal_mode(resource.mode);
  if (!perm) return std::move(perm).error();
  unsigned mode = *perm | 0400;

  std::string key = key_for(sha1);
  auto blob = store_.path(key);
  if (!blob) return std::move(blob).error();
  UniqueFd from(::open(blob->c_str(), O_RDONLY | O_CLOEXEC));
  if (!from) {
    if (errno == ENOENT) {
      return make_error(Errc::NotFound, "The app package is invalid: resource " +
                                            quote_path(display) + " is not in the resource pool");
    }
    return system_error("open " + blob->string(), errno);
  }

  auto dir = AppDir::open(dest_root);
  if (!dir) return std::move(dir).error();
  auto to = dir->create_file(*path);
  if (!to) return std::move(to).error();
  Hasher hasher(Hasher::Kind::Sha1);
  auto copied = copy_fd(from.get(), to->get(), "copy to " + display,
                        [&](std::string_view chunk) { hasher.update(chunk); });
  if (!copied) return std::move(copied).error();
  auto digest = hasher.finish();
  if (!digest) return std::move(digest).error();
  if (*digest != sha1) {
    // A pooled file is shared by every app that matches it: a damaged one is dropped so
    // the next push uploads the file again instead of failing forever.
    (void)store_.remove(key);
    return make_error(Errc::Internal, "resource pool entry " + sha1 +
                                          " is corrupt (its contents hash to " + *digest +
                                          "); it has been removed from the pool");
  }
  if (*copied != resource.size) {
    return invalid_package("resource " + quote_path(display) + " is " + std::to_string(*copied) +
                           " bytes, not " + std::to_string(resource.size));
  }
  if (::fchmod(to->get(), mode) != 0) return system_error("chmod " + display, errno);
  return AppFile{.path = std::move(display), .mode = mode, .size = *copied, .sha1 = sha1};
}

}  // namespace cupola::cc::bits
