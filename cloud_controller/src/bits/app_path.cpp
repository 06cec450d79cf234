#include "cloud_controller/src/bits/app_path.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>

namespace cupola::cc::bits {
namespace {

constexpr std::size_t kMaxComponentBytes = 255;
constexpr std::size_t kMaxQuotedBytes = 200;
constexpr int kMaxLinkHops = 40;

std::vector<std::string_view> split_slashes(std::string_view path) {
  std::vector<std::string_view> parts;
  while (true) {
    auto pos = path.find('/');
    parts.push_back(path.substr(0, pos));
    if (pos == std::string_view::npos) return parts;
    path.remove_prefix(pos + 1);
  }
}

Result<std::string> read_link(int dir_fd, const std::string& path) {
  std::string target(PATH_MAX, '\0');
  ssize_t n = ::readlinkat(dir_fd, path.c_str(), target.data(), target.size());
  if (n < 0) return system_error("readlink " + path, errno);
  target.resize(static_cast<std::size_t>(n));
  return target;
}

Error leaves_app(const std::vector<std::string>& link) {
  return invalid_package("symbolic link " + quote_path(join_path(link)) +
                         " points outside the app directory");
}

}  // namespace

Error invalid_package(std::string_view detail) {
  return make_error(Errc::InvalidArgument, "The app package is invalid: " + std::string(detail));
}

Error package_over_limit(std::string_view detail) {
  return make_error(Errc::LimitExceeded, "The app package is invalid: " + std::string(detail));
}

std::string quote_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (std::size_t i = 0; i < path.size() && i < kMaxQuotedBytes; ++i) {
    auto c = static_cast<unsigned char>(path[i]);
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (path.size() > kMaxQuotedBytes) out += "...";
  out += "'";
  return out;
}

Result<std::vector<std::string>> split_app_path(std::string_view path, std::size_t max_path_bytes) {
  if (path.empty()) return invalid_package("an entry has an empty name");
  if (path.size() > max_path_bytes) {
    return package_over_limit("path " + quote_path(path) + " is longer than " +
                              std::to_string(max_path_bytes) + " bytes");
  }
  if (path.find('\0') != std::string_view::npos) {
    return invalid_package("path " + quote_path(path) + " contains a NUL byte");
  }
  if (path.front() == '/') return invalid_package("path " + quote_path(path) + " is absolute");
  std::vector<std::string> components;
  for (auto part : split_slashes(path)) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      return invalid_package("path " + quote_path(path) + " leaves the app directory");
    }
    if (part.size() > kMaxComponentBytes) {
      return invalid_package("path " + quote_path(path) + " has a name longer than 255 bytes");
    }
    components.emplace_back(part);
  }
  return components;
}

std::string join_path(const std::vector<std::string>& components) {
  std::string out;
  for (const auto& c : components) {
    if (!out.empty()) out += '/';
    out += c;
  }
  return out;
}

Status check_link_target(const std::vector<std::string>& link, std::string_view target) {
  if (target.empty()) {
    return invalid_package("symbolic link " + quote_path(join_path(link)) + " has no target");
  }
  if (target.front() == '/') return leaves_app(link);
  // Depth below the app root; components, not string prefixes, so "../app-evil" from the
  // root cannot pass for a name inside "app".
  std::size_t depth = link.empty() ? 0 : link.size() - 1;
  for (auto part : split_slashes(target)) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (depth == 0) return leaves_app(link);
      --depth;
    } else {
      ++depth;
    }
  }
  return {};
}

Result<AppDir> AppDir::open(const std::filesystem::path& root) {
  UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return system_error("open " + root.string(), errno);
  return AppDir(std::move(fd));
}

Result<UniqueFd> AppDir::open_parent(const std::vector<std::string>& path) {
  UniqueFd dir(::openat(fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return system_error("open the app directory", errno);
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    const char* name = path[i].c_str();
    int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    UniqueFd next(::openat(dir.get(), name, flags));
    if (!next && errno == ENOENT) {
      if (::mkdirat(dir.get(), name, 0700) != 0 && errno != EEXIST) {
        return system_error("mkdir " + path[i], errno);
      }
      next.reset(::openat(dir.get(), name, flags));
      if (next && ::fchmod(next.get(), 0755) != 0) return system_error("chmod " + path[i], errno);
    }
    if (!next) {
      int err = errno;
      struct stat st {};
      std::vector<std::string> prefix(path.begin(), path.begin() + static_cast<long>(i) + 1);
      bool is_link =
          ::fstatat(dir.get(), name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
      if (err == ELOOP || (err == ENOTDIR && is_link)) {
        return invalid_package("path " + quote_path(join_path(path)) +
                               " goes through the symbolic link " + quote_path(join_path(prefix)));
      }
      if (err == ENOTDIR) {
        return invalid_package("path " + quote_path(join_path(path)) + " is inside " +
                               quote_path(join_path(prefix)) + ", which is a file");
      }
      return system_error("open " + join_path(prefix), err);
    }
    dir = std::move(next);
  }
  return dir;
}

Status AppDir::make_dir(const std::vector<std::string>& path, unsigned mode) {
  if (path.empty()) return {};
  auto parent = open_parent(path);
  if (!parent) return std::move(parent).error();
  const char* name = path.back().c_str();
  if (::mkdirat(parent->get(), name, 0700) != 0 && errno != EEXIST) {
    return system_error("mkdir " + join_path(path), errno);
  }
  UniqueFd dir(::openat(parent->get(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) {
    if (errno == ELOOP || errno == ENOTDIR) {
      return invalid_package("path " + quote_path(join_path(path)) +
                             " is both a directory and a file or link");
    }
    return system_error("open " + join_path(path), errno);
  }
  if (::fchmod(dir.get(), mode) != 0) return system_error("chmod " + join_path(path), errno);
  return {};
}

Result<UniqueFd> AppDir::create_file(const std::vector<std::string>& path) {
  if (path.empty()) return invalid_package("a file has the name of the app directory");
  auto parent = open_parent(path);
  if (!parent) return std::move(parent).error();
  UniqueFd fd(::openat(parent->get(), path.back().c_str(),
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) {
    if (errno == EEXIST) {
      return invalid_package("path " + quote_path(join_path(path)) + " is given more than once");
    }
    return system_error("create " + join_path(path), errno);
  }
  return fd;
}

Status AppDir::make_symlink(const std::vector<std::string>& path, const std::string& target) {
  if (path.empty()) return invalid_package("a link has the name of the app directory");
  auto parent = open_parent(path);
  if (!parent) return std::move(parent).error();
  if (::symlinkat(target.c_str(), parent->get(), path.back().c_str()) != 0) {
    if (errno == EEXIST) {
      return invalid_package("path " + quote_path(join_path(path)) + " is given more than once");
    }
    return system_error("symlink " + join_path(path), errno);
  }
  return {};
}

Status AppDir::check_link_on_disk(const std::vector<std::string>& path) const {
  auto first = read_link(fd_.get(), join_path(path));
  if (!first) return std::move(first).error();
  // `resolved` only ever holds real directories or names that do not exist: a link met on
  // the way is replaced by its target, so the fstatat below never follows one.
  std::vector<std::string> resolved(path.begin(), path.end() - 1);
  std::deque<std::string> pending;
  auto push_target = [&](const std::string& target) -> Status {
    if (target.empty() || target.front() == '/') return leaves_app(path);
    auto parts = split_slashes(target);
    pending.insert(pending.begin(), parts.begin(), parts.end());
    return {};
  };
  if (auto ok = push_target(*first); !ok) return ok;
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (resolved.empty()) return leaves_app(path);
      resolved.pop_back();
      continue;
    }
    resolved.push_back(std::move(part));
    struct stat st {};
    std::string here = join_path(resolved);
    if (::fstatat(fd_.get(), here.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISLNK(st.st_mode)) {
      continue;
    }
    if (++hops > kMaxLinkHops) {
      return invalid_package("symbolic link " + quote_path(join_path(path)) +
                             " goes through too many links");
    }
    auto target = read_link(fd_.get(), here);
    if (!target) return std::move(target).error();
    resolved.pop_back();
    if (auto ok = push_target(*target); !ok) return ok;
  }
  return {};
}

}  // namespace cupola::cc::bits
