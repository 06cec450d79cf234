#pragma once

// An app's bits on disk: packages built from an upload and the resource cache, droplets the
// cells upload, and reading both back. Every method blocks on file work: call them from a
// thread pool (run_blocking), never from the event loop.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cloud_controller/src/bits/app_zip.h"
#include "cloud_controller/src/bits/blobstore.h"
#include "cloud_controller/src/bits/resource_pool.h"
#include "cloud_controller/src/bits/tgz.h"
#include "common/core/result.h"

namespace cupola::cc {

struct BitsLimits {
  bits::UnpackLimits unpack;                     // what one package may unpack to
  std::uint64_t max_upload_bytes = 1ull << 30;   // an upload request's body
  std::uint64_t max_droplet_bytes = 2ull << 30;  // a droplet a cell uploads
  std::size_t max_resources = 5000;              // resources in one match or upload
};

class AppBits {
 public:
  AppBits(bits::Blobstore& blobs, BitsLimits limits);

  const BitsLimits& limits() const { return limits_; }

  // The resources the cache holds (same SHA-1 and size).
  Result<std::vector<bits::Resource>> match(const std::vector<bits::Resource>& wanted);
  // Builds package `guid` (a tgz of the app) from the uploaded zip, when there is one, and
  // the matched resources from the cache, adding the uploaded files to the cache. Errors for
  // the user (a bad zip, a resource the cache lacks) are InvalidArgument or LimitExceeded
  // with a message to show; nothing is stored then.
  Result<bits::Digest> store_package(const std::string& guid, std::optional<std::string_view> zip,
                                     const std::vector<bits::Resource>& matched);
  // Stores droplet `guid` as uploaded. LimitExceeded past max_droplet_bytes.
  Result<bits::Digest> store_droplet(const std::string& guid, std::string_view bytes);
  // The stored bytes; NotFound when there are none.
  Result<std::string> read_package(const std::string& guid) const;
  Result<std::string> read_droplet(const std::string& guid) const;
  Result<std::string> read_buildpack(const std::string& guid) const;
  // An app's build cache (what buildpacks keep between stagings). Stored as given; limited as
  // droplets are.
  Result<std::string> read_build_cache(const std::string& app_guid) const;
  Status store_build_cache(const std::string& app_guid, std::string_view bytes);
  void remove_build_cache(const std::string& app_guid);
  // Removes the blobs of packages and droplets (missing ones are fine).
  void remove(const std::vector<std::string>& packages, const std::vector<std::string>& droplets);

 private:
  Result<std::string> read(const std::string& key) const;

  bits::Blobstore& blobs_;
  bits::ResourcePool pool_;
  BitsLimits limits_;
};

}  // namespace cupola::cc
