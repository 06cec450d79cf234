#pragma once

// Buildpack bits on disk: uploads made into the gzip'd tars cells unpack, and the buildpacks
// shipped with the platform as directories. Every function blocks on file work: call them
// from a thread pool (run_blocking), never from the event loop.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cloud_controller/src/bits/app_zip.h"
#include "cloud_controller/src/bits/blobstore.h"
#include "cloud_controller/src/bits/hashing.h"
#include "common/core/result.h"

namespace cupola::cc {

// An upload ready to store: a gzip'd tar in a temporary file of the blobstore, which the
// caller owns (put_file() it, or remove it).
struct PackedBuildpack {
  std::filesystem::path tgz;
  bits::Digest digest;
  std::optional<std::string> manifest_stack;  // the `stack` of a top-level manifest.yml
};

// A classic buildpack's zip (`zip`), unpacked within `limits` and packed again with its
// modes; or a cloud native buildpack's archive as it came. Errors for the user are
// InvalidArgument or LimitExceeded with a message to show: the unpacker's, or Cloud Foundry's
// "buildpack manifest is not valid" / "buildpack manifest is too large" (past 1 MB).
Result<PackedBuildpack> pack_buildpack_upload(bits::Blobstore& blobs, std::string_view upload,
                                              bool zip, const bits::UnpackLimits& limits);

// Stores the contents of `src` (a buildpack's directory) at `key` as a gzip'd tar, modes
// kept, and returns its digest.
Result<bits::Digest> store_buildpack_dir(bits::Blobstore& blobs, const std::filesystem::path& src,
                                         std::string_view key);

// The subdirectories of `dir` holding a regular file bin/detect whose names suit a buildpack
// name (letters, digits, '_', '-'): in the order `dir`/order.txt lists them (one name a line;
// blank lines and '#' comments skipped), then the others alphabetically. None when `dir` does
// not exist.
Result<std::vector<std::string>> bundled_buildpack_dirs(const std::filesystem::path& dir);

}  // namespace cupola::cc
