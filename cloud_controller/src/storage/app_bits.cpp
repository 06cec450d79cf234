#include "cloud_controller/src/storage/app_bits.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cloud_controller/src/bits/app_path.h"
#include "cloud_controller/src/bits/hashing.h"

namespace cupola::cc {

namespace fs = std::filesystem;

namespace {

std::string package_key(const std::string& guid) { return "packages/" + guid; }
std::string droplet_key(const std::string& guid) { return "droplets/" + guid; }

// Removes what it names when it goes out of scope: a work directory or a temporary file.
struct Scratch {
  fs::path path;
  ~Scratch() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

Status write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  if (!out) return make_error(Errc::Internal, "cannot write " + path.string());
  return {};
}

}  // namespace

AppBits::AppBits(bits::Blobstore& blobs, BitsLimits limits)
    : blobs_(blobs), pool_(blobs), limits_(limits) {}

Result<std::vector<bits::Resource>> AppBits::match(const std::vector<bits::Resource>& wanted) {
  return pool_.match(wanted);
}

Result<bits::Digest> AppBits::store_package(const std::string& guid,
                                            std::optional<std::string_view> zip,
                                            const std::vector<bits::Resource>& matched) {
  std::uint64_t matched_bytes = 0;
  for (const auto& r : matched) matched_bytes += r.size;
  if (matched_bytes > limits_.unpack.max_total_bytes) {
    return bits::package_over_limit("it unpacks to more than " +
                                    std::to_string(limits_.unpack.max_total_bytes >> 20) + " MB");
  }
  auto dir_name = blobs_.temp_path();
  if (!dir_name) return std::move(dir_name).error();
  Scratch dir{*dir_name};
  std::error_code ec;
  fs::remove(dir.path, ec);
  if (!fs::create_directory(dir.path, ec)) {
    return make_error(Errc::Internal, "cannot make " + dir.path.string() + ": " + ec.message());
  }

  if (zip && !zip->empty()) {
    auto zip_name = blobs_.temp_path();
    if (!zip_name) return std::move(zip_name).error();
    Scratch zip_file{*zip_name};
    if (auto st = write_file(zip_file.path, *zip); !st) return std::move(st).error();
    bits::UnpackLimits unpack = limits_.unpack;
    unpack.max_total_bytes -= matched_bytes;
    auto files = bits::unpack_app_zip(zip_file.path, dir.path, unpack);
    if (!files) return std::move(files).error();
    for (const auto& f : *files) {
      if (f.directory || !f.symlink_target.empty() || f.sha1.empty()) continue;
      if (auto st = pool_.add(dir.path / f.path, f.sha1, f.size); !st) {
        return std::move(st).error();
      }
    }
  }
  for (const auto& r : matched) {
    auto made = pool_.materialize(dir.path, r);
    if (made) continue;
    if (made.error().code == make_error_code(Errc::NotFound)) {
      return bits::invalid_package("the file " + bits::quote_path(r.path) +
                                   " was matched but is no longer cached; push again");
    }
    return std::move(made).error();
  }

  auto tgz_name = blobs_.temp_path();
  if (!tgz_name) return std::move(tgz_name).error();
  Scratch tgz{*tgz_name};
  auto digest = bits::write_tgz(dir.path, tgz.path);
  if (!digest) return std::move(digest).error();
  if (auto st = blobs_.put_file(package_key(guid), tgz.path); !st) return std::move(st).error();
  tgz.path.clear();  // moved into the store
  return digest;
}

Result<bits::Digest> AppBits::store_droplet(const std::string& guid, std::string_view bytes) {
  if (bytes.size() > limits_.max_droplet_bytes) {
    return make_error(
        Errc::LimitExceeded,
        "The droplet is larger than " + std::to_string(limits_.max_droplet_bytes >> 20) + " MB.");
  }
  bits::Hasher sha1(bits::Hasher::Kind::Sha1), sha256(bits::Hasher::Kind::Sha256);
  sha1.update(bytes);
  sha256.update(bytes);
  auto s1 = sha1.finish();
  if (!s1) return std::move(s1).error();
  auto s256 = sha256.finish();
  if (!s256) return std::move(s256).error();
  if (auto st = blobs_.put_string(droplet_key(guid), bytes); !st) return std::move(st).error();
  return bits::Digest{std::move(*s1), std::move(*s256), bytes.size()};
}

Result<std::string> AppBits::read(const std::string& key) const {
  auto path = blobs_.path(key);
  if (!path) return std::move(path).error();
  std::ifstream in(*path, std::ios::binary);
  if (!in) return make_error(Errc::NotFound, "no blob " + key);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return make_error(Errc::Internal, "cannot read " + path->string());
  return bytes.str();
}

Result<std::string> AppBits::read_package(const std::string& guid) const {
  return read(package_key(guid));
}

Result<std::string> AppBits::read_droplet(const std::string& guid) const {
  return read(droplet_key(guid));
}

Result<std::string> AppBits::read_buildpack(const std::string& guid) const {
  return read("buildpacks/" + guid);
}

void AppBits::remove_build_cache(const std::string& app_guid) {
  (void)blobs_.remove("build_caches/" + app_guid);
}

Result<std::string> AppBits::read_build_cache(const std::string& app_guid) const {
  return read("build_caches/" + app_guid);
}

Status AppBits::store_build_cache(const std::string& app_guid, std::string_view bytes) {
  if (bytes.size() > limits_.max_droplet_bytes) {
    return make_error(Errc::LimitExceeded, "The build cache is larger than " +
                                               std::to_string(limits_.max_droplet_bytes >> 20) +
                                               " MB.");
  }
  return blobs_.put_string("build_caches/" + app_guid, bytes);
}

void AppBits::remove(const std::vector<std::string>& packages,
                     const std::vector<std::string>& droplets) {
  for (const auto& g : packages) (void)blobs_.remove(package_key(g));
  for (const auto& g : droplets) (void)blobs_.remove(droplet_key(g));
}

}  // namespace cupola::cc
