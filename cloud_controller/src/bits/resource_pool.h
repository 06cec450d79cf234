#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cloud_controller/src/bits/app_zip.h"
#include "cloud_controller/src/bits/blobstore.h"
#include "common/core/result.h"

namespace cupola::cc::bits {

// A file the cf CLI describes instead of uploading (PUT /v3/resource_match and the
// "resources" of a package upload).
struct Resource {
  std::string path;  // relative to the app directory
  std::string mode;  // octal, as the client sent it: "644", "0755"
  std::string sha1;  // hex
  std::uint64_t size = 0;
};

struct ResourcePoolOptions {
  // Files outside [min_size, max_size] are neither pooled nor matched: empty files cost
  // nothing to upload, and very large ones would fill the pool.
  std::uint64_t min_size = 1;
  std::uint64_t max_size = 512ull << 20;
};

// Files seen in earlier pushes, kept in a blobstore under "resources/<sha1[0:2]>/<sha1>" so
// a push uploads only what the platform has not seen. Shares the blobstore's thread rules;
// the blobstore must outlive the pool.
class ResourcePool {
 public:
  explicit ResourcePool(Blobstore& store, ResourcePoolOptions options = {})
      : store_(store), options_(options) {}

  // The resources the pool holds: sha1 present (any hex case) with a blob of exactly `size`
  // bytes, size within the options. Malformed entries are simply not matched.
  Result<std::vector<Resource>> match(const std::vector<Resource>& resources) const;

  // Pools the file at `file_path` whose contents have `sha1`, unless already pooled. The
  // file stays where it is; the pool shares it by a hard link when it can, else copies it.
  // Sizes outside the options are skipped. Errc::InvalidArgument for a malformed sha1 or a
  // file whose size is not `size`.
  Status add(const std::filesystem::path& file_path, std::string_view sha1, std::uint64_t size);

  // Writes the pooled file for `resource` to `dest_root`/`resource.path`, creating parent
  // directories, with `resource.mode` (octal; owner read added). Refused with
  // Errc::InvalidArgument and a user-facing message: the path rules of unpack_app_zip
  // (including not writing through a symbolic link below `dest_root`), an existing name, a
  // mode that is not octal, a malformed sha1. Errc::NotFound when the pool lacks the file.
  // Errc::Internal when the pooled file does not hash to `sha1` or has the wrong size; that
  // entry is then removed from the pool. On error `dest_root` may hold a partial file: the
  // caller removes the directory.
  Result<AppFile> materialize(const std::filesystem::path& dest_root,
                              const Resource& resource) const;

  // "resources/ab/abcdef..." for a lowercase hex sha1.
  static std::string key_for(std::string_view sha1);

 private:
  bool poolable(std::uint64_t size) const {
    return size >= options_.min_size && size <= options_.max_size;
  }

  Blobstore& store_;
  ResourcePoolOptions options_;
};

// The permission bits of an octal mode string ("644", "0100755"), masked to 0777.
// Errc::InvalidArgument, with a user-facing message, when it is empty or not octal.
Result<unsigned> parse_octal_mode(std::string_view mode);

}  // namespace cupola::cc::bits
