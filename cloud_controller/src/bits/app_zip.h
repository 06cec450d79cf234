#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/core/result.h"

namespace cupola::cc::bits {

// Bounds on what one pushed package may unpack to.
struct UnpackLimits {
  std::uint64_t max_total_bytes = 1ull << 30;  // file contents, as decompressed
  std::uint64_t max_entries = 100000;
  std::size_t max_path_bytes = 4096;
};

// One entry written to the app directory.
struct AppFile {
  std::string path;        // relative, without "./" or a trailing slash: "sub/app.rb"
  unsigned mode = 0;       // the permission bits it was given
  std::uint64_t size = 0;  // bytes of a file, of a link's target; 0 for a directory
  std::string sha1;        // hex SHA-1 of a regular file's contents; empty otherwise
  bool directory = false;
  std::string symlink_target;  // set for symbolic links only
};

// Unpacks a zip made by `cf push` into the existing, empty directory `dest_dir` and lists
// what it wrote, in archive order.
//
// Only the zip format is read (from its central directory, where Unix modes live). A file
// gets its mode & 0777 with owner read added, 0644 when the zip has none; a directory at
// least 0755. Refused with Errc::InvalidArgument and a message for the user ("The app
// package is invalid: ..."): another format or a damaged zip; an empty, absolute or ".."
// path; a hard link, device or socket (libarchive reads a FIFO's entry as a regular file,
// and it is written as one); an encrypted entry; the same path twice; a symbolic link whose
// target is absolute or climbs out of the app, resolved lexically and again through the
// links on disk once all are written; an entry written through a link made by an earlier
// one. Errc::LimitExceeded, with the same wording, past a limit: the byte count is of data
// actually decompressed, so a zip bomb stops as soon as it passes max_total_bytes.
// Errc::Internal when the zip cannot be opened or the host's file system fails.
//
// On any error `dest_dir` may hold part of the app: the caller removes it.
Result<std::vector<AppFile>> unpack_app_zip(const std::filesystem::path& zip_path,
                                            const std::filesystem::path& dest_dir,
                                            const UnpackLimits& limits = {});

}  // namespace cupola::cc::bits
