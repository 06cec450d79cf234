#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::cc::bits {

// A blobstore on a local directory: one file per key. Keys are relative paths of segments
// made of [A-Za-z0-9._-] ("packages/<guid>", "droplets/<guid>", "resources/ab/<sha1>"); a
// segment may not be empty or start with '.', which keeps "..", absolute paths and the
// store's own staging directory (<root>/.tmp) out of reach. Any other key is
// Errc::InvalidArgument.
//
// Writes are atomic: a blob is written or moved under .tmp, fsynced, then renamed into
// place, so readers see the old blob or the whole new one, never a part. Every method may
// be called from several threads and processes at once; two writers of one key leave one
// of the two blobs. Failures of the host's file system are Errc::Internal.
class Blobstore {
 public:
  // The store at `root`, creating it and its staging directory when missing.
  static Result<Blobstore> open(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }

  // The absolute file name of the blob at `key` (whether or not it exists).
  Result<std::filesystem::path> path(std::string_view key) const;
  Result<bool> exists(std::string_view key) const;
  // The blob's size in bytes; Errc::NotFound when there is none.
  Result<std::uint64_t> size(std::string_view key) const;

  // Moves the regular file `src` into the store: a rename when on the same file system,
  // else a copy that then removes `src`. Replaces any blob at `key`.
  Status put_file(std::string_view key, const std::filesystem::path& src);
  // Stores `src` while leaving it in place: a hard link when the file system allows one,
  // else a copy. Replaces any blob at `key`.
  Status put_copy(std::string_view key, const std::filesystem::path& src);
  // Stores `bytes`. Replaces any blob at `key`.
  Status put_string(std::string_view key, std::string_view bytes);

  // Writes a copy of the blob to `dest` (created or truncated, mode 0644 before the umask).
  // Errc::NotFound when there is no blob.
  Status copy_to(std::string_view key, const std::filesystem::path& dest) const;
  // Removes the blob; removing a missing blob succeeds.
  Status remove(std::string_view key);

  // A new, empty file with a unique name in the store's staging directory, on the same
  // file system as the blobs so put_file() of it is a rename. The caller owns the file and
  // removes it if it does not put it.
  Result<std::filesystem::path> temp_path() const;

 private:
  explicit Blobstore(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path tmp_dir() const { return root_ / ".tmp"; }
  // Renames `staged` to the blob at `dest`, creating its directory, and syncs the directory.
  Status commit(const std::filesystem::path& staged, const std::filesystem::path& dest) const;

  std::filesystem::path root_;
};

// Whether `key` is a well-formed blobstore key; Errc::InvalidArgument saying why not.
Status check_blob_key(std::string_view key);

}  // namespace cupola::cc::bits
