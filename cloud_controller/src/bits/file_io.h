#pragma once

// File descriptor plumbing shared by the bits code. Failures of the host's file system are
// Errc::Internal: they are the operator's problem, never the user's.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::cc::bits {

// Owns one file descriptor and closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// An Errc::Internal error "<what>: <strerror(err)>".
Error system_error(std::string_view what, int err);

// Writes all of `data`, retrying short writes and EINTR.
Status write_all(int fd, std::string_view data, std::string_view what);

// Reads up to `size` bytes, retrying EINTR; 0 at end of file.
Result<std::size_t> read_some(int fd, char* buffer, std::size_t size, std::string_view what);

// fsync of a file descriptor, and of a directory by path so a rename in it is durable.
Status sync_fd(int fd, std::string_view what);
Status sync_dir(const std::filesystem::path& dir);

// Copies the rest of `from` to `to`, calling `observe(chunk)` on each chunk written.
template <class Observe>
Result<std::uint64_t> copy_fd(int from, int to, std::string_view what, Observe&& observe) {
  std::string buffer(64 * 1024, '\0');
  std::uint64_t total = 0;
  while (true) {
    auto n = read_some(from, buffer.data(), buffer.size(), what);
    if (!n) return std::move(n).error();
    if (*n == 0) return total;
    std::string_view chunk(buffer.data(), *n);
    observe(chunk);
    if (auto w = write_all(to, chunk, what); !w) return std::move(w).error();
    total += *n;
  }
}

}  // namespace cupola::cc::bits
