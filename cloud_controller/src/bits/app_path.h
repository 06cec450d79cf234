#pragma once

// The rules for paths inside an app directory, shared by the zip unpacker and the resource
// pool: which names a user may give, and a writer that never follows a symbolic link below
// the app directory. Messages are meant for the user who pushed the app.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cloud_controller/src/bits/file_io.h"
#include "common/core/result.h"

namespace cupola::cc::bits {

// Errc::InvalidArgument "The app package is invalid: <detail>".
Error invalid_package(std::string_view detail);
// Errc::LimitExceeded with the same wording, for packages over a limit.
Error package_over_limit(std::string_view detail);

// `path` for a message: quoted, control bytes as \xNN, cut after 200 bytes.
std::string quote_path(std::string_view path);

// The components of a relative path in an app ("sub/", "./a//b"): "." and empty components
// are dropped, so an empty result names the app directory itself. Refused with
// Errc::InvalidArgument: an empty path, a NUL byte, an absolute path, any ".." component, a
// component longer than 255 bytes. Errc::LimitExceeded beyond `max_path_bytes`.
Result<std::vector<std::string>> split_app_path(std::string_view path, std::size_t max_path_bytes);

// "a/b/c" from {"a", "b", "c"}.
std::string join_path(const std::vector<std::string>& components);

// Whether a symbolic link at `link` (components from split_app_path) pointing at `target`
// stays inside the app, resolving `target` lexically from the link's own directory by whole
// components. Refused with Errc::InvalidArgument: an empty or absolute target, or one that
// climbs above the app directory.
Status check_link_target(const std::vector<std::string>& link, std::string_view target);

// Creates entries below one directory (the app root) without ever following a symbolic link
// below it: every parent is opened with O_NOFOLLOW, so no entry is written through a link
// that an earlier entry made. Each call takes the components of a path that passed
// split_app_path. Problems a user caused are Errc::InvalidArgument with a user-facing
// message; failures of the host are Errc::Internal.
class AppDir {
 public:
  static Result<AppDir> open(const std::filesystem::path& root);

  // The directory holding the last component, missing parents created with mode 0755.
  Result<UniqueFd> open_parent(const std::vector<std::string>& path);
  // A directory with mode `mode`; an existing directory is kept and given `mode`. An empty
  // path (the root itself) is left alone.
  Status make_dir(const std::vector<std::string>& path, unsigned mode);
  // A new regular file, mode 0600 until the caller sets its own. Refused when the name
  // exists already.
  Result<UniqueFd> create_file(const std::vector<std::string>& path);
  // A new symbolic link. Refused when the name exists already.
  Status make_symlink(const std::vector<std::string>& path, const std::string& target);

  // Whether the link at `path`, followed through the links already on disk (up to 40 of
  // them), stays inside the root. Lexical checks alone miss chains such as "a -> ." with
  // "b -> a/a/..", which climbs out once "a" is followed.
  Status check_link_on_disk(const std::vector<std::string>& path) const;

 private:
  explicit AppDir(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace cupola::cc::bits
