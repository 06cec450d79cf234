#pragma once

// What cf push uploads from an app: the resources found in its folder, the
// resource-matching bodies sent to POST /v3/resource_matches, and the zip of the files the
// platform did not match.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace cupola::cli {

// One entry of an app.
struct AppResource {
  std::string path{};            // relative, '/'-separated, no trailing '/': "sub/style.css"
  bool directory = false;        // a folder
  unsigned mode = 0;             // permission bits, masked to 0777
  std::uint64_t size = 0;        // bytes of a regular file; 0 for directories and links
  std::string sha1{};            // lowercase hex SHA-1 of a regular file's contents
  std::string symlink_target{};  // set for symbolic links only

  bool regular_file() const { return !directory && symlink_target.empty(); }
  bool operator==(const AppResource&) const = default;
};

struct GatherLimits {
  std::size_t max_entries = 100000;  // files, directories and links together
};

// The resources of the app folder at `app_path` (a symbolic link to a folder is followed),
// leaving out what its root .cfignore and the default ignore lines name (ignore_rules.h).
//
// The folder is walked as the cf CLI walks it: depth first, each folder's names in byte
// order, a folder just before its contents. Folders get mode 0755; regular files their own
// permissions, size and SHA-1; symbolic links are kept as links (mode 0777, size 0, never
// followed). A folder left out by .cfignore is still searched when a "!" line may bring
// back something inside it; it is then listed before what comes back.
//
// Errors, each naming the path: Errc::NotFound when `app_path` does not exist;
// Errc::InvalidArgument when it is not a folder (pushing a zip, jar or war is not supported
// yet), when nothing is left to push ("No app files found in '<path>'"), when an entry
// cannot be read, is neither a file, a folder nor a link (a FIFO, a socket), or has a name
// or link target that is not UTF-8, and for a malformed .cfignore; Errc::LimitExceeded past
// `limits` or for a .cfignore over its limits; Errc::Internal when OpenSSL has no SHA-1.
Result<std::vector<AppResource>> gather_resources(const std::filesystem::path& app_path,
                                                  const GatherLimits& limits = {});

// The most resources the CLI sends in one resource-matching request.
inline constexpr std::size_t kMaxResourcesPerMatch = 1000;

// The resources worth matching: regular files of more than 0 bytes, in order.
std::vector<AppResource> matchable_resources(const std::vector<AppResource>& resources);

// The body of POST /v3/resource_matches for the matchable ones among `resources`:
// {"resources":[{"path":"sub/style.css","mode":"644","checksum":{"value":"<sha1>"},
// "size_in_bytes":7},...]}, mode in octal.
std::string resource_match_json(const std::vector<AppResource>& resources);

// The matchable resources in bodies of at most `per_request` resources (at least 1). Empty
// when no file has content: push then skips resource matching.
std::vector<std::string> resource_match_bodies(const std::vector<AppResource>& resources,
                                               std::size_t per_request = kMaxResourcesPerMatch);

// The resources the platform answered (201 {"resources":[...]}, the request's format), by
// path. Errc::InvalidArgument, listing every problem, for anything else: not JSON, no
// "resources" array, an entry without a path, an octal "mode", a "checksum.value" or a
// "size_in_bytes".
Result<std::map<std::string, AppResource>> parse_matched(std::string_view json);

// `resources` less the files the platform matched (the same path and SHA-1), in order:
// what goes into the zip. Directories and links always stay.
std::vector<AppResource> unmatched_resources(const std::vector<AppResource>& resources,
                                             const std::map<std::string, AppResource>& matched);

// The "resources" part of a package upload: a JSON array of `matched` in the format of
// resource_match_json, "[]" when empty.
std::string matched_resources_json(const std::map<std::string, AppResource>& matched);

// Writes to `out` a deflated zip of `include`, taken from the folder `root` (what
// gather_resources was given), in order: directories as "sub/" entries, links as
// links, each entry's Unix type and `mode` in its external attributes, names in UTF-8.
// Errc::InvalidArgument when an entry cannot be read or has changed since it was gathered
// ("Aborting push: File <path> has been modified since the start of push. ..."),
// Errc::Internal when `out` cannot be written. On failure `out` is removed.
Status write_app_zip(const std::filesystem::path& root, const std::vector<AppResource>& include,
                     const std::filesystem::path& out);

// Counts for the progress push shows.
struct ResourceTotals {
  std::size_t files = 0;        // regular files and links
  std::size_t directories = 0;  // folders
  std::uint64_t bytes = 0;      // sum of file sizes
};
ResourceTotals summarize(const std::vector<AppResource>& resources);

}  // namespace cupola::cli
