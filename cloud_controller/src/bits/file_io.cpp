#include "cloud_controller/src/bits/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cupola::cc::bits {

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Error system_error(std::string_view what, int err) {
  std::string message(what);
  message += ": ";
  message += std::strerror(err);
  return make_error(Errc::Internal, std::move(message));
}

Status write_all(int fd, std::string_view data, std::string_view what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return system_error(what, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<std::size_t> read_some(int fd, char* buffer, std::size_t size, std::string_view what) {
  while (true) {
    ssize_t n = ::read(fd, buffer, size);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return system_error(what, errno);
  }
}

Status sync_fd(int fd, std::string_view what) {
  if (::fsync(fd) != 0) return system_error(what, errno);
  return {};
}

Status sync_dir(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return system_error("open " + dir.string(), errno);
  return sync_fd(fd.get(), "fsync " + dir.string());
}

}  // namespace cupola::cc::bits
