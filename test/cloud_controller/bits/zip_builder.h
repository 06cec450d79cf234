#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cupola::cc::bits::testing {

// Builds zip files with libarchive's writer (deflate, Unix modes in the central directory,
// as the cf CLI writes them), including entries no honest client makes. write() throws on
// failure.
class ZipBuilder {
 public:
  ZipBuilder& file(std::string name, std::string content, unsigned perm = 0644);
  ZipBuilder& dir(std::string name, unsigned perm = 0755);
  ZipBuilder& symlink(std::string name, std::string target);
  // `bytes` zero bytes, written in chunks so large ones cost no memory.
  ZipBuilder& zeros(std::string name, std::uint64_t bytes);
  // Every folder and regular file under `root`, named relative to it, with its permissions,
  // as cf push zips an app's folder.
  ZipBuilder& tree(const std::filesystem::path& root);

  void write(const std::filesystem::path& out) const;

 private:
  struct Entry {
    std::string name;
    unsigned type = 0;
    unsigned perm = 0;
    std::string content;
    std::uint64_t zeros = 0;
    std::string target;
  };
  std::vector<Entry> entries_;
};

// Rewrites the Unix mode (file type and permissions) that the central directory of the zip
// at `zip` records for `name`, for entry types the writer will not produce (FIFOs,
// devices). Throws when the entry is not found.
void patch_zip_mode(const std::filesystem::path& zip, const std::string& name, unsigned mode);

}  // namespace cupola::cc::bits::testing
