#include "cli/src/app_files.h"

#include <catch2/catch.hpp>

#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include <archive.h>
#include <archive_entry.h>
#include <rapidjson/document.h>

#include "common/testing/temp_dir.h"

using namespace cupola;
using namespace cupola::cli;
namespace fs = std::filesystem;

namespace {

constexpr const char* kHelloSha1 = "f572d396fae9206628714fb2ce00f72e94f2258f";  // "hello\n"
constexpr const char* kCssSha1 = "eb49199fcc08a347035605d1d2d52736449f187a";    // "body{}\n"

// An app folder as a user might push it.
struct App {
  cupola::testing::TempDir tmp{"cli-app-files"};
  fs::path root = tmp / "app";

  App() { fs::create_directory(root); }

  void file(const std::string& path, std::string_view content, unsigned mode = 0644) const {
    auto p = tmp.write_file("app/" + path, content);
    fs::permissions(p, static_cast<fs::perms>(mode));
  }
  void dir(const std::string& path, unsigned mode = 0755) const {
    fs::create_directories(root / path);
    fs::permissions(root / path, static_cast<fs::perms>(mode));
  }
  void link(const std::string& path, const std::string& target) const {
    fs::create_symlink(target, root / path);
  }
  std::vector<AppResource> gather(GatherLimits limits = {}) const {
    auto resources = gather_resources(root, limits);
    if (!resources) FAIL(resources.error().message);
    return std::move(resources).value();
  }
};

std::vector<std::string> paths_of(const std::vector<AppResource>& resources) {
  std::vector<std::string> out;
  for (const auto& r : resources) out.push_back(r.path);
  return out;
}

const AppResource& find(const std::vector<AppResource>& resources, const std::string& path) {
  for (const auto& r : resources) {
    if (r.path == path) return r;
  }
  FAIL("no resource " << path);
  throw;
}

AppResource file_resource(std::string path, std::uint64_t size, std::string sha1) {
  return AppResource{.path = std::move(path), .mode = 0644, .size = size, .sha1 = std::move(sha1)};
}

// What libarchive reads back from a zip: entries in order.
struct ZipEntry {
  std::string name;
  unsigned type = 0;
  unsigned perm = 0;
  std::string content{};
  std::string symlink{};
};

std::vector<ZipEntry> read_zip(const fs::path& zip) {
  // libarchive's reader gives non-ASCII names only under a UTF-8 locale.
  locale_t utf8 = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
  REQUIRE(utf8);
  locale_t previous = ::uselocale(utf8);
  std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip_seekable(a.get());
  REQUIRE(archive_read_open_filename(a.get(), zip.c_str(), 10240) == ARCHIVE_OK);
  std::vector<ZipEntry> entries;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
    ZipEntry e{.name = archive_entry_pathname(entry),
               .type = static_cast<unsigned>(archive_entry_filetype(entry)),
               .perm = static_cast<unsigned>(archive_entry_perm(entry))};
    if (const char* target = archive_entry_symlink(entry)) e.symlink = target;
    char buffer[4096];
    for (la_ssize_t n; (n = archive_read_data(a.get(), buffer, sizeof buffer)) > 0;) {
      e.content.append(buffer, static_cast<std::size_t>(n));
    }
    entries.push_back(std::move(e));
  }
  ::uselocale(previous);
  ::freelocale(utf8);
  return entries;
}

}  // namespace

TEST_CASE("Gathering an app folder lists what cf push would upload", "[cli][files]") {
  App app;
  app.file("Procfile", "web: ./run.sh\n");
  app.file("run.sh", "hello\n", 0755);
  app.file("empty.txt", "");
  app.dir("a", 0700);
  app.file("a/b.txt", "hello\n", 0600);
  app.file("a.txt", "hello\n");
  app.link("link", "a.txt");
  app.file("sub/style.css", "body{}\n");
  app.file("sub/debug.log", "noise\n");
  app.file("tmp/cache/x", "x\n");
  app.file("sub/tmp/kept", "kept\n");
  app.file(".git/config", "[core]\n");
  app.file("manifest.yml", "applications: []\n");
  app.file("sub/manifest.yml", "applications: []\n");
  app.file(".cfignore", "*.log\n/tmp/\n");

  auto resources = app.gather();

  SECTION("depth first, each folder's names in byte order, ignored paths left out") {
    CHECK(paths_of(resources) ==
          std::vector<std::string>{"Procfile", "a", "a/b.txt", "a.txt", "empty.txt", "link",
                                   "run.sh", "sub", "sub/style.css", "sub/tmp", "sub/tmp/kept"});
  }
  SECTION("files carry their permissions, size and SHA-1") {
    const auto& run = find(resources, "run.sh");
    CHECK(run.mode == 0755);
    CHECK(run.size == 6);
    CHECK(run.sha1 == kHelloSha1);
    CHECK(run.regular_file());
    CHECK(find(resources, "a/b.txt").mode == 0600);
    CHECK(find(resources, "sub/style.css").sha1 == kCssSha1);
    const auto& empty = find(resources, "empty.txt");
    CHECK(empty.size == 0);
    CHECK(empty.sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  }
  SECTION("folders are sent as 0755, links as links") {
    const auto& a = find(resources, "a");
    CHECK(a.directory);
    CHECK(a.mode == 0755);
    CHECK(a.sha1.empty());
    const auto& link = find(resources, "link");
    CHECK_FALSE(link.regular_file());
    CHECK(link.symlink_target == "a.txt");
    CHECK(link.mode == 0777);
    CHECK(link.size == 0);
    CHECK(link.sha1.empty());
  }
  SECTION("totals for the progress line") {
    auto totals = summarize(resources);
    CHECK(totals.directories == 3);
    CHECK(totals.files == 8);
    CHECK(totals.bytes == 14 + 6 + 6 + 6 + 7 + 5);
  }
}

TEST_CASE("A '!' line brings back a file inside an ignored folder, with its folder",
          "[cli][files]") {
  App app;
  app.file("app.rb", "puts 1\n");
  app.file("logs/keep.txt", "keep\n");
  app.file("logs/other.txt", "other\n");
  app.file("cache/a", "a\n");
  app.file(".cfignore", "logs/\n!logs/keep.txt\ncache/\n");
  CHECK(paths_of(app.gather()) == std::vector<std::string>{"app.rb", "logs", "logs/keep.txt"});
}

TEST_CASE("Gathering refuses what cannot be pushed, naming the path", "[cli][files]") {
  App app;
  SECTION("a path that does not exist") {
    auto r = gather_resources(app.root / "missing");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::NotFound);
    CHECK_THAT(r.error().message, Catch::Contains((app.root / "missing").string()));
  }
  SECTION("a folder with nothing left after the ignore rules") {
    app.file("manifest.yml", "applications: []\n");
    app.file(".cfignore", "*\n");
    auto r = gather_resources(app.root);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::InvalidArgument);
    CHECK(r.error().message == "No app files found in '" + app.root.string() + "'");
  }
  SECTION("a file instead of a folder") {
    app.file("app.jar", "PK");
    auto r = gather_resources(app.root / "app.jar");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::InvalidArgument);
    CHECK_THAT(r.error().message, Catch::Contains("not a folder"));
  }
  SECTION("more entries than the limit, counted across folders") {
    for (const char* path : {"f0", "f1", "d/g0", "d/g1", "d/e/h0"}) app.file(path, "x");
    auto r = gather_resources(app.root, GatherLimits{.max_entries = 6});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::LimitExceeded);
    CHECK_THAT(r.error().message, Catch::Contains("more than 6 files and folders"));
    auto all = gather_resources(app.root, GatherLimits{.max_entries = 7});
    REQUIRE(all);
    CHECK(all->size() == 7);
  }
  SECTION("a name that is not UTF-8, unless .cfignore lists it") {
    app.file("app.rb", "x");
    app.file("bad\xFFname", "x");
    auto r = gather_resources(app.root);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("not UTF-8"));
    app.file(".cfignore", "bad*\n");
    CHECK(gather_resources(app.root));
  }
  SECTION("a FIFO, unless .cfignore lists it") {
    app.file("app.rb", "x");
    REQUIRE(::mkfifo((app.root / "pipe").c_str(), 0644) == 0);
    auto r = gather_resources(app.root);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains((app.root / "pipe").string()));
    app.file(".cfignore", "pipe\n");
    CHECK(gather_resources(app.root));
  }
  SECTION("a .cfignore that is a folder") {
    app.file("app.rb", "x");
    app.dir(".cfignore");
    auto r = gather_resources(app.root);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains((app.root / ".cfignore").string()));
  }
  SECTION("a malformed .cfignore") {
    app.file("app.rb", "x");
    app.file(".cfignore", "ok\n[broken\n");
    auto r = gather_resources(app.root);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::StartsWith("Line 2 of .cfignore"));
  }
  SECTION("an unreadable folder") {
    if (::geteuid() == 0) return;  // root reads it anyway
    app.dir("secret", 0);
    auto r = gather_resources(app.root);
    fs::permissions(app.root / "secret", fs::perms::owner_all);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains((app.root / "secret").string()));
  }
}

TEST_CASE("Resource matching sends the files with content, in chunks", "[cli][files][match]") {
  std::vector<AppResource> resources = {
      AppResource{.path = "sub", .directory = true, .mode = 0755},
      AppResource{.path = "sub/style.css", .mode = 0644, .size = 7, .sha1 = kCssSha1},
      AppResource{.path = "empty.txt", .mode = 0644, .size = 0, .sha1 = "da39"},
      AppResource{.path = "link", .mode = 0777, .symlink_target = "sub"},
      AppResource{.path = "run.sh", .mode = 0755, .size = 6, .sha1 = kHelloSha1},
  };

  SECTION("in cf's format, without folders, links and empty files") {
    CHECK(
        resource_match_json(resources) ==
        std::string(R"({"resources":[{"path":"sub/style.css","mode":"644","checksum":{"value":")") +
            kCssSha1 +
            R"("},"size_in_bytes":7},{"path":"run.sh","mode":"755","checksum":{"value":")" +
            kHelloSha1 + R"("},"size_in_bytes":6}]})");
    CHECK(resource_match_bodies(resources).size() == 1);
  }
  SECTION("nothing to match when no file has content") {
    std::vector<AppResource> empty_only = {resources[0], resources[2], resources[3]};
    CHECK(resource_match_bodies(empty_only).empty());
    CHECK(resource_match_json(empty_only) == R"({"resources":[]})");
  }
  SECTION("at most 1000 per request") {
    std::vector<AppResource> many;
    for (int i = 0; i < 2500; ++i) {
      many.push_back(file_resource("f" + std::to_string(i), 1, kHelloSha1));
      many.push_back(file_resource("e" + std::to_string(i), 0, kHelloSha1));
    }
    auto bodies = resource_match_bodies(many);
    REQUIRE(bodies.size() == 3);
    std::vector<std::size_t> sizes;
    for (const auto& body : bodies) {
      rapidjson::Document doc;
      doc.Parse(body.c_str());
      REQUIRE(doc.IsObject());
      sizes.push_back(doc["resources"].Size());
    }
    CHECK(sizes == std::vector<std::size_t>{1000, 1000, 500});
    CHECK(resource_match_bodies(many, 0).size() == 2500);
  }
}

TEST_CASE("The platform's resource match answer is read back", "[cli][files][match]") {
  SECTION("matched files by path") {
    auto matched = parse_matched(
        R"({"resources":[{"path":"sub/style.css","mode":"0644","checksum":{"value":")" +
        std::string(kCssSha1) + R"("},"size_in_bytes":7}]})");
    REQUIRE(matched);
    REQUIRE(matched->size() == 1);
    const auto& css = matched->at("sub/style.css");
    CHECK(css.mode == 0644);
    CHECK(css.sha1 == kCssSha1);
    CHECK(css.size == 7);
    CHECK(matched_resources_json(*matched) ==
          std::string(R"([{"path":"sub/style.css","mode":"644","checksum":{"value":")") + kCssSha1 +
              R"("},"size_in_bytes":7}])");
  }
  SECTION("nothing matched") {
    auto matched = parse_matched(R"({"resources":[]})");
    REQUIRE(matched);
    CHECK(matched->empty());
    CHECK(matched_resources_json(*matched) == "[]");
  }
  SECTION("malformed answers are errors that say what is wrong") {
    auto refused = [](std::string_view body, std::string_view text) {
      auto r = parse_matched(body);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == Errc::InvalidArgument);
      CHECK_THAT(r.error().message, Catch::StartsWith("The resource match response") &&
                                        Catch::Contains(std::string(text)));
    };
    refused("not json", "invalid JSON");
    refused("[]", "expected an object");
    refused("{}", "resources: is required");
    refused(R"({"resources":{}})", "resources: expected an array, got an object");
    refused(R"({"resources":[{"path":"a","checksum":{"value":"x"},"size_in_bytes":1}]})",
            "resources[0].mode: is required");
    refused(R"({"resources":[{"path":"a","mode":"","checksum":{"value":"x"},"size_in_bytes":1}]})",
            "resources[0].mode: \"\" is not an octal file mode");
    refused(R"({"resources":[{"path":"a","mode":"9","checksum":{"value":"x"},"size_in_bytes":1}]})",
            "is not an octal file mode");
    refused(R"({"resources":[{"path":"a","mode":"644","size_in_bytes":1}]})",
            "resources[0].checksum: is required");
    refused(
        R"({"resources":[{"path":"a","mode":"644","checksum":{"value":"x"},"size_in_bytes":-1}]})",
        "resources[0].size_in_bytes: expected");
  }
}

TEST_CASE("Matched files are left out of the zip; folders and links stay", "[cli][files][match]") {
  std::vector<AppResource> all = {
      AppResource{.path = "sub", .directory = true, .mode = 0755},
      file_resource("sub/a.css", 7, kCssSha1),
      file_resource("sub/b.css", 7, kCssSha1),
      file_resource("run.sh", 6, kHelloSha1),
      AppResource{.path = "link", .mode = 0777, .symlink_target = "run.sh"},
  };
  std::map<std::string, AppResource> matched = {
      {"sub/a.css", file_resource("sub/a.css", 7, kCssSha1)},
      {"run.sh", file_resource("run.sh", 6, kCssSha1)},  // another file's contents
  };
  CHECK(paths_of(unmatched_resources(all, matched)) ==
        std::vector<std::string>{"sub", "sub/b.css", "run.sh", "link"});
}

TEST_CASE("The app zip holds the given entries with their names, modes and contents",
          "[cli][files][zip]") {
  App app;
  app.file("run.sh", "hello\n", 0755);
  app.file("sub/style.css", "body{}\n", 0600);
  app.file("sub/big.txt", std::string(200000, 'a'));
  app.file("caf\xC3\xA9.txt", "hello\n");
  app.file("empty.txt", "");
  app.link("link", "run.sh");
  app.file("debug.log", "noise\n");
  app.file(".cfignore", "*.log\n");
  app.file(".git/HEAD", "ref\n");
  app.file("manifest.yml", "applications: []\n");
  auto resources = app.gather();
  auto zip = app.tmp / "app.zip";

  SECTION("every gathered entry, in order; ignored files absent") {
    REQUIRE(write_app_zip(app.root, resources, zip));
    auto entries = read_zip(zip);
    std::vector<std::string> names;
    for (const auto& e : entries) names.push_back(e.name);
    CHECK(names == std::vector<std::string>{"caf\xC3\xA9.txt", "empty.txt", "link", "run.sh",
                                            "sub/", "sub/big.txt", "sub/style.css"});
    CHECK(entries[0].content == "hello\n");
    CHECK(entries[1].type == AE_IFREG);
    CHECK(entries[1].content.empty());
    CHECK(entries[2].type == AE_IFLNK);
    CHECK(entries[2].symlink == "run.sh");
    CHECK(entries[3].type == AE_IFREG);
    CHECK(entries[3].perm == 0755);
    CHECK(entries[3].content == "hello\n");
    CHECK(entries[4].type == AE_IFDIR);
    CHECK(entries[4].perm == 0755);
    CHECK(entries[5].content == std::string(200000, 'a'));
    CHECK(entries[6].perm == 0600);
    CHECK(entries[6].content == "body{}\n");
    CHECK(fs::file_size(zip) < 10000);  // deflated
  }
  SECTION("only the unmatched files") {
    std::map<std::string, AppResource> matched = {{"sub/big.txt", find(resources, "sub/big.txt")}};
    REQUIRE(write_app_zip(app.root, unmatched_resources(resources, matched), zip));
    auto entries = read_zip(zip);
    REQUIRE(entries.size() == 6);
    for (const auto& e : entries) CHECK(e.name != "sub/big.txt");
  }
  SECTION("a file changed since it was gathered stops the push") {
    app.file("run.sh", "HELLO\n", 0755);
    auto status = write_app_zip(app.root, resources, zip);
    REQUIRE_FALSE(status);
    CHECK(status.error().message ==
          "Aborting push: File run.sh has been modified since the start of push. Validate the "
          "correct state of the file and try again.");
    CHECK_FALSE(fs::exists(zip));
  }
  SECTION("a file removed since it was gathered stops the push") {
    fs::remove(app.root / "sub/style.css");
    auto status = write_app_zip(app.root, resources, zip);
    REQUIRE_FALSE(status);
    CHECK_THAT(status.error().message, Catch::Contains("File sub/style.css has been modified"));
  }
  SECTION("an output that cannot be written") {
    auto status = write_app_zip(app.root, resources, app.tmp / "missing" / "app.zip");
    REQUIRE_FALSE(status);
    CHECK(status.error().code == Errc::Internal);
  }
}
