#include "cli/src/app_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "cli/src/ignore_rules.h"
#include "common/json/json.h"

namespace cupola::cli {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kDirectoryMode = 0755;  // the cf CLI sends every folder as 0755
constexpr std::size_t kBufferBytes = 64 * 1024;

struct Fd {
  explicit Fd(int fd) : fd(fd) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int fd;
};

using DigestPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using WritePtr = std::unique_ptr<archive, decltype(&archive_write_free)>;
using EntryPtr = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

Error unreadable(const fs::path& path, std::string_view why) {
  return make_error(Errc::InvalidArgument,
                    "Cannot read '" + path.string() + "': " + std::string(why));
}

std::string archive_message(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "unknown error";
}

Error modified(std::string_view path) {
  return make_error(Errc::InvalidArgument,
                    "Aborting push: File " + std::string(path) +
                        " has been modified since the start of push. Validate the correct "
                        "state of the file and try again.");
}

// Zip names are UTF-8: a name that is not cannot be pushed.
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// The lowercase hex SHA-1 of the rest of the regular file open at `fd`, counting its bytes
// into `size` and copying them to `zip` when given. Errc::Internal when OpenSSL offers no
// SHA-1 (a FIPS policy).
Result<std::string> hash_fd(int fd, const fs::path& path, std::uint64_t& size,
                            archive* zip = nullptr) {
  DigestPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr) == 1;
  std::string buffer(kBufferBytes, '\0');
  ssize_t n = 0;
  while ((n = ::read(fd, buffer.data(), buffer.size())) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return unreadable(path, std::strerror(errno));
    ok = ok && EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(n)) == 1;
    size += static_cast<std::uint64_t>(n);
    if (zip && archive_write_data(zip, buffer.data(), static_cast<std::size_t>(n)) != n) {
      return make_error(Errc::Internal, "Cannot write the app's zip: " + archive_message(zip));
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  if (!ok || EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) {
    return make_error(Errc::Internal, "SHA-1 is not available from OpenSSL");
  }
  std::string hex;
  for (unsigned i = 0; i < length; ++i) {
    hex += "0123456789abcdef"[digest[i] >> 4];
    hex += "0123456789abcdef"[digest[i] & 0xf];
  }
  return hex;
}

// Walks an app folder as the cf CLI does (see gather_resources).
struct FolderWalker {
  Status walk(const fs::path& dir, const std::string& prefix, std::vector<AppResource>& out);
  Result<AppResource> regular_file(const fs::path& path, std::string relative);

  const fs::path& root;
  const IgnoreRules& rules;
  const GatherLimits& limits;
  std::size_t entries = 0;
};

Status FolderWalker::walk(const fs::path& dir, const std::string& prefix,
                          std::vector<AppResource>& out) {
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) return unreadable(dir, ec.message());
  std::sort(names.begin(), names.end());

  for (const auto& name : names) {
    fs::path path = dir / name;
    std::string relative = prefix.empty() ? name : prefix + "/" + name;
    auto status = fs::symlink_status(path, ec);
    if (ec) return unreadable(path, ec.message());
    bool is_directory = fs::is_directory(status);
    bool ignored = rules.ignored(relative, is_directory);
    if (ignored && !(is_directory && rules.has_negations())) continue;
    std::vector<AppResource> inside;
    if (is_directory) {
      // Inside an ignored folder only what a "!" line re-includes is kept; the folder
      // then comes along so that its files have a parent.
      if (auto ok = walk(path, relative, inside); !ok) return ok;
      if (ignored && inside.empty()) continue;
    }
    if (!valid_utf8(name)) {
      return unreadable(path, "its name is not UTF-8 (rename it or list it in .cfignore)");
    }
    if (is_directory) {
      out.push_back(AppResource{.path = relative, .directory = true, .mode = kDirectoryMode});
      std::move(inside.begin(), inside.end(), std::back_inserter(out));
    } else if (fs::is_symlink(status)) {
      auto target = fs::read_symlink(path, ec);
      if (ec) return unreadable(path, ec.message());
      if (!valid_utf8(target.string())) return unreadable(path, "the link's target is not UTF-8");
      out.push_back(AppResource{.path = relative, .mode = 0777, .symlink_target = target.string()});
    } else if (fs::is_regular_file(status)) {
      auto file = regular_file(path, relative);
      if (!file) return std::move(file).error();
      out.push_back(std::move(*file));
    } else {
      return unreadable(path, "not a file, folder or symbolic link (list it in .cfignore)");
    }
    // Counted here, not by out.size(): a folder's entries gather in its own list first.
    if (++entries > limits.max_entries) {
      return make_error(Errc::LimitExceeded, "The app at '" + root.string() + "' has more than " +
                                                 std::to_string(limits.max_entries) +
                                                 " files and folders; list the rest in .cfignore");
    }
  }
  return {};
}

Result<AppResource> FolderWalker::regular_file(const fs::path& path, std::string relative) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  struct stat st {};
  if (fd.fd < 0 || ::fstat(fd.fd, &st) != 0) return unreadable(path, std::strerror(errno));
  AppResource file{.path = std::move(relative), .mode = st.st_mode & 0777u};
  auto sha1 = hash_fd(fd.fd, path, file.size);
  if (!sha1) return std::move(sha1).error();
  file.sha1 = std::move(*sha1);
  return file;
}

Result<std::string> read_cfignore(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  // One byte past the limit is enough for IgnoreRules to refuse it.
  std::string text(kMaxCfignoreBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (!in.is_open() || in.bad()) return unreadable(path, std::strerror(errno));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

Result<std::vector<AppResource>> gather_folder(const fs::path& root, const GatherLimits& limits) {
  auto rules = IgnoreRules::defaults();
  std::error_code ec;
  auto cfignore = fs::status(root / ".cfignore", ec);
  if (fs::exists(cfignore)) {
    if (!fs::is_regular_file(cfignore)) return unreadable(root / ".cfignore", "not a file");
    auto text = read_cfignore(root / ".cfignore");
    if (!text) return std::move(text).error();
    auto parsed = IgnoreRules::from_cfignore(*text);
    if (!parsed) return std::move(parsed).error();
    rules = std::move(*parsed);
  }
  std::vector<AppResource> out;
  if (auto ok = FolderWalker{root, rules, limits}.walk(root, "", out); !ok) {
    return std::move(ok).error();
  }
  if (out.empty()) {
    return make_error(Errc::InvalidArgument, "No app files found in '" + root.string() + "'");
  }
  return out;
}

void write_resource(json::Writer& w, const AppResource& r) {
  char mode[16];
  std::snprintf(mode, sizeof mode, "%o", r.mode);
  w.start_object().field("path", r.path).field("mode", mode);
  w.key("checksum").start_object().field("value", r.sha1).end_object();
  w.field("size_in_bytes", r.size).end_object();
}

std::string match_body(const std::vector<AppResource>& resources, std::size_t from,
                       std::size_t to) {
  json::Writer w;
  w.start_object().key("resources").start_array();
  for (std::size_t i = from; i < to; ++i) write_resource(w, resources[i]);
  w.end_array().end_object();
  return w.str();
}

std::optional<unsigned> parse_octal(std::string_view text) {
  if (text.empty() || text.size() > 11) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '7') return std::nullopt;
    value = value * 8 + static_cast<unsigned>(c - '0');
  }
  return static_cast<unsigned>(value & 0777u);
}

Error write_error(archive* w) {
  return make_error(Errc::Internal, "Cannot write the app's zip: " + archive_message(w));
}

// Writes the header of `r`, a directory's name ending in '/', as the server expects.
Status add_header(archive* w, const AppResource& r, const struct stat& st) {
  EntryPtr entry(archive_entry_new(), archive_entry_free);
  archive_entry_set_pathname_utf8(entry.get(), (r.directory ? r.path + "/" : r.path).c_str());
  if (r.directory) {
    archive_entry_set_filetype(entry.get(), AE_IFDIR);
  } else if (!r.symlink_target.empty()) {
    archive_entry_set_filetype(entry.get(), AE_IFLNK);
    archive_entry_set_symlink_utf8(entry.get(), r.symlink_target.c_str());
  } else {
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(r.size));
  }
  archive_entry_set_perm(entry.get(), r.mode);
  archive_entry_set_mtime(entry.get(), st.st_mtim.tv_sec, 0);
  if (archive_write_header(w, entry.get()) < ARCHIVE_WARN) return write_error(w);
  return {};
}

// Adds one gathered entry, checking that it is still what was gathered.
Status add_entry(archive* w, const fs::path& root, const AppResource& r) {
  fs::path path = root / r.path;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return modified(r.path);
    return unreadable(path, std::strerror(errno));
  }
  if (r.directory) {
    if (!S_ISDIR(st.st_mode)) return modified(r.path);
    return add_header(w, r, st);
  }
  if (!r.symlink_target.empty()) {
    std::error_code ec;
    if (!S_ISLNK(st.st_mode) || fs::read_symlink(path, ec).string() != r.symlink_target) {
      return modified(r.path);
    }
    return add_header(w, r, st);
  }
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.fd < 0 && (errno == ELOOP || errno == ENOENT)) return modified(r.path);
  if (fd.fd < 0 || ::fstat(fd.fd, &st) != 0) return unreadable(path, std::strerror(errno));
  if (!S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) != r.size) {
    return modified(r.path);
  }
  if (auto ok = add_header(w, r, st); !ok) return ok;
  std::uint64_t size = 0;
  auto sha1 = hash_fd(fd.fd, path, size, w);
  if (!sha1) return std::move(sha1).error();
  // Fewer bytes than the header promised would leave a damaged zip; more are cut off.
  if (size != r.size || *sha1 != r.sha1) return modified(r.path);
  return {};
}

}  // namespace

Result<std::vector<AppResource>> gather_resources(const fs::path& app_path,
                                                  const GatherLimits& limits) {
  std::error_code ec;
  auto status = fs::status(app_path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) return unreadable(app_path, ec.message());
  if (!fs::exists(status)) {
    return make_error(Errc::NotFound, "The app path '" + app_path.string() + "' does not exist");
  }
  if (!fs::is_directory(status)) {
    return make_error(Errc::InvalidArgument,
                      "The app path '" + app_path.string() +
                          "' is not a folder; pushing a zip, jar or war file is not supported");
  }
  return gather_folder(app_path, limits);
}

std::vector<AppResource> matchable_resources(const std::vector<AppResource>& resources) {
  std::vector<AppResource> out;
  for (const auto& r : resources) {
    if (r.regular_file() && r.size > 0) out.push_back(r);
  }
  return out;
}

std::string resource_match_json(const std::vector<AppResource>& resources) {
  auto matchable = matchable_resources(resources);
  return match_body(matchable, 0, matchable.size());
}

std::vector<std::string> resource_match_bodies(const std::vector<AppResource>& resources,
                                               std::size_t per_request) {
  per_request = std::max<std::size_t>(per_request, 1);
  auto matchable = matchable_resources(resources);
  std::vector<std::string> bodies;
  for (std::size_t from = 0; from < matchable.size(); from += per_request) {
    bodies.push_back(match_body(matchable, from, std::min(matchable.size(), from + per_request)));
  }
  return bodies;
}

Result<std::map<std::string, AppResource>> parse_matched(std::string_view text) {
  constexpr std::string_view kWhat = "The resource match response";
  auto doc = json::parse(text, {.max_bytes = 64u << 20});
  if (!doc) {
    return make_error(Errc::InvalidArgument,
                      std::string(kWhat) + " is not valid: " + std::move(doc).error().message);
  }
  json::ObjectReader root(*doc);
  const json::Value* list = root.find("resources");
  if (!list || !list->IsArray()) {
    root.problem("resources", list ? "expected an array, got " + std::string(json::type_name(*list))
                                   : std::string("is required"));
  }
  std::map<std::string, AppResource> matched;
  for (rapidjson::SizeType i = 0; list && list->IsArray() && i < list->Size(); ++i) {
    json::ObjectReader item((*list)[i], "resources[" + std::to_string(i) + "]", root);
    AppResource r;
    std::string mode;
    item.required("path", r.path);
    item.required("mode", mode);
    item.required("size_in_bytes", r.size);
    item.object("checksum", true).required("value", r.sha1);
    if (!item.find("mode") || !item.find("mode")->IsString()) continue;
    if (auto bits = parse_octal(mode)) {
      r.mode = *bits;
    } else {
      item.problem("mode", "\"" + mode + "\" is not an octal file mode");
    }
    if (r.path.empty()) item.problem("path", "is empty");
    matched[r.path] = std::move(r);
  }
  if (auto ok = root.status(kWhat); !ok) return std::move(ok).error();
  return matched;
}

std::vector<AppResource> unmatched_resources(const std::vector<AppResource>& resources,
                                             const std::map<std::string, AppResource>& matched) {
  std::vector<AppResource> out;
  for (const auto& r : resources) {
    auto it = r.regular_file() ? matched.find(r.path) : matched.end();
    if (it == matched.end() || it->second.sha1 != r.sha1) out.push_back(r);
  }
  return out;
}

std::string matched_resources_json(const std::map<std::string, AppResource>& matched) {
  json::Writer w;
  w.start_array();
  for (const auto& [path, r] : matched) write_resource(w, r);
  w.end_array();
  return w.str();
}

Status write_app_zip(const fs::path& root, const std::vector<AppResource>& include,
                     const fs::path& out) {
  WritePtr w(archive_write_new(), archive_write_free);
  if (!w) return make_error(Errc::Internal, "libarchive: out of memory");
  if (archive_write_set_format_zip(w.get()) != ARCHIVE_OK ||
      archive_write_zip_set_compression_deflate(w.get()) != ARCHIVE_OK ||
      // Names are UTF-8 with the zip's UTF-8 flag, as the cf CLI writes them, whatever the
      // locale.
      archive_write_set_format_option(w.get(), "zip", "hdrcharset", "UTF-8") != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(w.get(), 1) != ARCHIVE_OK ||
      archive_write_open_filename(w.get(), out.c_str()) != ARCHIVE_OK) {
    return write_error(w.get());
  }
  Status status;
  for (const auto& r : include) {
    if (status = add_entry(w.get(), root, r); !status) break;
  }
  if (status && archive_write_close(w.get()) != ARCHIVE_OK) status = write_error(w.get());
  if (!status) {
    w.reset();
    std::error_code ec;
    fs::remove(out, ec);
  }
  return status;
}

ResourceTotals summarize(const std::vector<AppResource>& resources) {
  ResourceTotals totals;
  for (const auto& r : resources) {
    if (r.directory) {
      ++totals.directories;
    } else {
      ++totals.files;
      totals.bytes += r.size;
    }
  }
  return totals;
}

}  // namespace cupola::cli
