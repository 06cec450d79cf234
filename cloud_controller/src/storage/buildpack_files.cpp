#include "cloud_controller/src/storage/buildpack_files.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <utility>

#include "cloud_controller/src/bits/tgz.h"

namespace cupola::cc {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxManifestBytes = 1 << 20;

// Removes what it names when it goes out of scope: a work directory or a temporary file.
struct Scratch {
  fs::path path;
  ~Scratch() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
  fs::path release() { return std::exchange(path, {}); }
};

Error invalid(std::string message) { return make_error(Errc::InvalidArgument, std::move(message)); }

Status write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  if (!out) return make_error(Errc::Internal, "cannot write " + path.string());
  return {};
}

Result<std::optional<std::string>> manifest_stack(const fs::path& dir) {
  fs::path manifest = dir / "manifest.yml";
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(manifest, ec))) return std::optional<std::string>();
  if (fs::file_size(manifest, ec) > kMaxManifestBytes) {
    return invalid("buildpack manifest is too large");
  }
  try {
    YAML::Node doc = YAML::LoadFile(manifest.string());
    YAML::Node stack = doc.IsMap() ? doc["stack"] : YAML::Node();
    if (stack && stack.IsScalar() && !stack.Scalar().empty()) {
      return std::optional<std::string>(stack.Scalar());
    }
  } catch (const YAML::Exception&) {
    return invalid("buildpack manifest is not valid");
  }
  return std::optional<std::string>();
}

bool buildpack_dir_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string trimmed(const std::string& line) {
  auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  auto last = line.find_last_not_of(" \t\r");
  return line.substr(first, last - first + 1);
}

}  // namespace

Result<PackedBuildpack> pack_buildpack_upload(bits::Blobstore& blobs, std::string_view upload,
                                              bool zip, const bits::UnpackLimits& limits) {
  auto upload_name = blobs.temp_path();
  if (!upload_name) return std::move(upload_name).error();
  Scratch upload_file{*upload_name};
  if (auto st = write_file(upload_file.path, upload); !st) return std::move(st).error();
  PackedBuildpack out;
  if (!zip) {
    auto digest = bits::digest_file(upload_file.path);
    if (!digest) return std::move(digest).error();
    out.digest = std::move(*digest);
    out.tgz = upload_file.release();
    return out;
  }
  auto dir_name = blobs.temp_path();
  if (!dir_name) return std::move(dir_name).error();
  Scratch dir{*dir_name};
  std::error_code ec;
  fs::remove(dir.path, ec);
  if (!fs::create_directory(dir.path, ec)) {
    return make_error(Errc::Internal, "cannot make " + dir.path.string() + ": " + ec.message());
  }
  if (auto files = bits::unpack_app_zip(upload_file.path, dir.path, limits); !files) {
    return std::move(files).error();
  }
  auto stack = manifest_stack(dir.path);
  if (!stack) return std::move(stack).error();
  auto tgz_name = blobs.temp_path();
  if (!tgz_name) return std::move(tgz_name).error();
  Scratch tgz{*tgz_name};
  auto digest = bits::write_tgz(dir.path, tgz.path);
  if (!digest) return std::move(digest).error();
  out.digest = std::move(*digest);
  out.manifest_stack = std::move(*stack);
  out.tgz = tgz.release();
  return out;
}

Result<bits::Digest> store_buildpack_dir(bits::Blobstore& blobs, const fs::path& src,
                                         std::string_view key) {
  auto tgz_name = blobs.temp_path();
  if (!tgz_name) return std::move(tgz_name).error();
  Scratch tgz{*tgz_name};
  auto digest = bits::write_tgz(src, tgz.path);
  if (!digest) return std::move(digest).error();
  if (auto st = blobs.put_file(key, tgz.path); !st) return std::move(st).error();
  tgz.release();
  return digest;
}

Result<std::vector<std::string>> bundled_buildpack_dirs(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return std::vector<std::string>();
  std::vector<std::string> found;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::error_code file_ec;
    if (!buildpack_dir_name(name) || !it->is_directory(file_ec)) continue;
    if (!fs::is_regular_file(it->path() / "bin" / "detect", file_ec)) continue;
    found.push_back(std::move(name));
  }
  if (ec) return make_error(Errc::Internal, "cannot list " + dir.string() + ": " + ec.message());
  std::sort(found.begin(), found.end());

  std::vector<std::string> ordered;
  std::ifstream order(dir / "order.txt");
  for (std::string line; std::getline(order, line);) {
    std::string name = trimmed(line);
    if (name.empty() || name.starts_with('#')) continue;
    bool present = std::find(found.begin(), found.end(), name) != found.end();
    if (present && std::find(ordered.begin(), ordered.end(), name) == ordered.end()) {
      ordered.push_back(name);
    }
  }
  for (auto& name : found) {
    if (std::find(ordered.begin(), ordered.end(), name) == ordered.end()) ordered.push_back(name);
  }
  return ordered;
}

}  // namespace cupola::cc
