#include "cloud_controller/src/bits/app_zip.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "common/testing/temp_dir.h"
#include "test/cloud_controller/bits/zip_builder.h"

using namespace cupola;
using namespace cupola::cc::bits;
using cupola::cc::bits::testing::ZipBuilder;
namespace fs = std::filesystem;

namespace {

constexpr const char* kHelloSha1 = "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d";

struct Push {
  cupola::testing::TempDir tmp{"cc-bits-zip"};
  fs::path zip = tmp / "app.zip";
  fs::path app = tmp / "app";

  Push() { fs::create_directory(app); }

  Result<std::vector<AppFile>> unpack(const ZipBuilder& builder, UnpackLimits limits = {}) {
    builder.write(zip);
    return unpack_app_zip(zip, app, limits);
  }
};

unsigned perm_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

const AppFile& find(const std::vector<AppFile>& files, const std::string& path) {
  for (const auto& f : files) {
    if (f.path == path) return f;
  }
  FAIL("no entry " << path);
  throw;
}

void require_refused(const Result<std::vector<AppFile>>& r, Errc code, const std::string& text) {
  REQUIRE_FALSE(r);
  CHECK(r.error().code == code);
  CHECK_THAT(r.error().message, Catch::StartsWith("The app package is invalid: "));
  CHECK_THAT(r.error().message, Catch::Contains(text));
}

}  // namespace

TEST_CASE("A zip from cf push unpacks with its directories, modes and links", "[bits][zip]") {
  Push push;
  auto files = push.unpack(ZipBuilder()
                               .dir("sub/", 0700)
                               .file("sub/run.sh", "#!/bin/sh\n", 0755)
                               .file("app.rb", "hello", 0644)
                               .file("./read-only", "r", 0444)
                               .file("write-only", "w", 0200)
                               .file("no-mode", "n", 0)
                               .file("deep/er/leaf.txt", "leaf", 0640)
                               .file("empty", "", 0644)
                               .symlink("sub/link", "../app.rb")
                               .symlink("here", "sub"));
  REQUIRE(files);
  CHECK(files->size() == 10);

  const auto& app_rb = find(*files, "app.rb");
  CHECK(app_rb.sha1 == kHelloSha1);
  CHECK(app_rb.size == 5);
  CHECK(app_rb.mode == 0644);
  CHECK_FALSE(app_rb.directory);
  CHECK(cupola::testing::read_file(push.app / "app.rb") == "hello");
  CHECK(perm_of(push.app / "app.rb") == 0644);

  SECTION("modes are kept, with owner read added and 0644 when the zip has none") {
    CHECK(perm_of(push.app / "sub/run.sh") == 0755);
    CHECK(perm_of(push.app / "read-only") == 0444);
    CHECK(perm_of(push.app / "write-only") == 0600);
    CHECK(find(*files, "write-only").mode == 0600);
    CHECK(perm_of(push.app / "no-mode") == 0644);
    CHECK(perm_of(push.app / "deep/er/leaf.txt") == 0640);
  }
  SECTION("directories are at least 0755, also those the zip only implies") {
    CHECK(perm_of(push.app / "sub") == 0755);
    CHECK(find(*files, "sub").directory);
    CHECK(perm_of(push.app / "deep") == 0755);
    CHECK(perm_of(push.app / "deep/er") == 0755);
  }
  SECTION("links inside the app are made as links") {
    CHECK(fs::read_symlink(push.app / "sub/link") == "../app.rb");
    CHECK(find(*files, "sub/link").symlink_target == "../app.rb");
    CHECK(find(*files, "sub/link").sha1.empty());
    CHECK(fs::read_symlink(push.app / "here") == "sub");
  }
  SECTION("every file's SHA-1 is of what was written") {
    CHECK(find(*files, "empty").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(find(*files, "empty").size == 0);
    CHECK(find(*files, "deep/er/leaf.txt").size == 4);
  }
}

TEST_CASE("Names in UTF-8 are kept", "[bits][zip]") {
  Push push;
  const std::string cafe = "caf\xc3\xa9";
  auto files = push.unpack(ZipBuilder()
                               .file(cafe + "/na\xc3\xafve.txt", "hello")
                               .symlink("link", cafe + "/na\xc3\xafve.txt"));
  REQUIRE(files);
  CHECK(find(*files, cafe + "/na\xc3\xafve.txt").sha1 == kHelloSha1);
  CHECK(cupola::testing::read_file(push.app / cafe / "na\xc3\xafve.txt") == "hello");
  CHECK(fs::read_symlink(push.app / "link") == cafe + "/na\xc3\xafve.txt");
}

TEST_CASE("Paths that leave the app directory are refused", "[bits][zip]") {
  for (const std::string bad : {"../evil", "a/../../evil", "a/../b", "./../evil"}) {
    INFO(bad);
    Push push;
    auto r = push.unpack(ZipBuilder().file("ok", "ok").file(bad, "pwned"));
    require_refused(r, Errc::InvalidArgument, "leaves the app directory");
    CHECK_FALSE(fs::exists(push.tmp / "evil"));
  }
  Push push;
  require_refused(push.unpack(ZipBuilder().file("/abs", "pwned")), Errc::InvalidArgument,
                  "path '/abs' is absolute");
}

TEST_CASE("Symbolic links must point inside the app", "[bits][zip]") {
  struct Case {
    std::string link, target;
  };
  for (const auto& [link, target] :
       {Case{"link", "../../etc"}, Case{"sub/link", "../../etc"}, Case{"link", "/etc"},
        Case{"link", ".."}, Case{"a/l", "../../app-evil"}, Case{"sub/l", "../x/../../y"}}) {
    INFO(link << " -> " << target);
    Push push;
    auto r = push.unpack(ZipBuilder().symlink(link, target));
    require_refused(r, Errc::InvalidArgument, "points outside the app directory");
  }
  SECTION("a chain of links that climbs out once followed is refused") {
    Push push;
    auto r = push.unpack(ZipBuilder().symlink("a", ".").symlink("b", "a/a/.."));
    require_refused(r, Errc::InvalidArgument, "symbolic link 'b' points outside");
  }
  SECTION("a link to the app directory itself stays inside") {
    Push push;
    REQUIRE(push.unpack(ZipBuilder().symlink("sub/top", "..").symlink("sub/self", ".")));
  }
}

TEST_CASE("No entry is written through a link an earlier entry made", "[bits][zip]") {
  SECTION("a link to a directory inside the app") {
    Push push;
    auto r = push.unpack(ZipBuilder().dir("sub/").symlink("d", "sub").file("d/x", "through"));
    require_refused(r, Errc::InvalidArgument, "path 'd/x' goes through the symbolic link 'd'");
    CHECK_FALSE(fs::exists(push.app / "sub/x"));
  }
  SECTION("a link to the parent, refused before anything goes through it") {
    Push push;
    auto r = push.unpack(ZipBuilder().symlink("d", "..").file("d/evil", "pwned"));
    require_refused(r, Errc::InvalidArgument, "points outside the app directory");
    CHECK_FALSE(fs::exists(push.tmp / "evil"));
  }
  SECTION("a directory entry where a link is") {
    Push push;
    auto r = push.unpack(ZipBuilder().dir("sub/").symlink("d", "sub").dir("d/"));
    require_refused(r, Errc::InvalidArgument, "path 'd' is both a directory and a file or link");
  }
  SECTION("a file where a link is") {
    Push push;
    auto r = push.unpack(ZipBuilder().file("x", "x").symlink("d", "x").file("d", "overwrite"));
    require_refused(r, Errc::InvalidArgument, "path 'd' is given more than once");
    CHECK(cupola::testing::read_file(push.app / "x") == "x");
  }
}

TEST_CASE("Entries that are not files, directories or links are refused", "[bits][zip]") {
  for (unsigned type : {0020000u, 0060000u, 0140000u}) {
    INFO(std::oct << type);
    Push push;
    ZipBuilder().file("ok", "ok").file("special", "x").write(push.zip);
    cupola::cc::bits::testing::patch_zip_mode(push.zip, "special", type | 0644);
    auto r = unpack_app_zip(push.zip, push.app);
    require_refused(r, Errc::InvalidArgument, "is not a file, directory or symbolic link");
  }
  SECTION("libarchive reads a FIFO entry as a regular file, and it is written as one") {
    Push push;
    ZipBuilder().file("fifo", "data").write(push.zip);
    cupola::cc::bits::testing::patch_zip_mode(push.zip, "fifo", 0010644);
    auto files = unpack_app_zip(push.zip, push.app);
    REQUIRE(files);
    CHECK(fs::is_regular_file(fs::symlink_status(push.app / "fifo")));
    CHECK(cupola::testing::read_file(push.app / "fifo") == "data");
  }
}

TEST_CASE("A path given twice is refused", "[bits][zip]") {
  Push push;
  auto r = push.unpack(ZipBuilder().file("a", "1").file("./a", "2"));
  require_refused(r, Errc::InvalidArgument, "path 'a' is given more than once");
}

TEST_CASE("Packages past the limits stop early", "[bits][zip]") {
  UnpackLimits limits{.max_total_bytes = 10ull << 20, .max_entries = 10, .max_path_bytes = 32};

  SECTION("a zip bomb stops once it has decompressed past the limit") {
    Push push;
    auto r = push.unpack(ZipBuilder().zeros("bomb", 50ull << 20), limits);
    require_refused(r, Errc::LimitExceeded, "it unpacks to more than 10 MB");
    CHECK(fs::file_size(push.zip) < (1ull << 20));
    CHECK(fs::file_size(push.app / "bomb") <= limits.max_total_bytes);
  }
  SECTION("the limit is on the total, not per file") {
    Push push;
    ZipBuilder builder;
    for (int i = 0; i < 6; ++i) builder.zeros("part" + std::to_string(i), 2ull << 20);
    require_refused(push.unpack(builder, limits), Errc::LimitExceeded, "more than 10 MB");
  }
  SECTION("limits read in MB, 1024 MB by default") {
    Push push;
    auto r = push.unpack(ZipBuilder().zeros("bomb", 2ull << 20),
                         UnpackLimits{.max_total_bytes = 1ull << 20});
    require_refused(r, Errc::LimitExceeded, "more than 1 MB");
    CHECK(UnpackLimits{}.max_total_bytes == 1024ull << 20);
  }
  SECTION("too many entries") {
    Push push;
    ZipBuilder builder;
    for (int i = 0; i < 11; ++i) builder.file("f" + std::to_string(i), "x");
    require_refused(push.unpack(builder, limits), Errc::LimitExceeded, "more than 10 entries");
    ZipBuilder exactly;
    for (int i = 0; i < 10; ++i) exactly.file("f" + std::to_string(i), "x");
    Push ok;
    CHECK(ok.unpack(exactly, limits));
  }
  SECTION("a path that is too long") {
    Push push;
    require_refused(push.unpack(ZipBuilder().file(std::string(33, 'a'), "x"), limits),
                    Errc::LimitExceeded, "is longer than 32 bytes");
  }
}

TEST_CASE("Only zip files are read", "[bits][zip]") {
  Push push;
  auto text = push.tmp.write_file("not.zip", "just some text, not an archive\n");
  require_refused(unpack_app_zip(text, push.app), Errc::InvalidArgument, "not a zip file");
  auto empty = push.tmp.write_file("empty.zip", "");
  require_refused(unpack_app_zip(empty, push.app), Errc::InvalidArgument, "not a zip file");

  SECTION("a truncated zip") {
    ZipBuilder().file("a", std::string(1000, 'a')).write(push.zip);
    fs::resize_file(push.zip, fs::file_size(push.zip) / 2);
    auto r = unpack_app_zip(push.zip, push.app);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::InvalidArgument);
  }
  SECTION("a missing file is the caller's problem") {
    auto r = unpack_app_zip(push.tmp / "missing.zip", push.app);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::Internal);
  }
}
