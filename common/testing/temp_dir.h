#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace cupola::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "cupola");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

  // Writes `content` to a file inside the directory and returns its path.
  std::filesystem::path write_file(std::string_view name, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

// A cell's containers left in `depot` (a rep keeps its containers when it stops) deleted with
// runc, which kills what runs in them, and the mounts under `depot` undone: what a test or a
// benchmark that ran a rep does before its depot is removed.
void remove_cell_containers(const std::filesystem::path& depot);

// Reads a whole file; empty when it cannot be read.
std::string read_file(const std::filesystem::path& path);

// A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot bind port 0
// themselves, such as postgres and nats-server).
unsigned short free_tcp_port();

}  // namespace cupola::testing
