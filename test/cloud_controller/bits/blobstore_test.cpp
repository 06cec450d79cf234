#include "cloud_controller/src/bits/blobstore.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "common/testing/temp_dir.h"

using namespace cupola;
using namespace cupola::cc::bits;
namespace fs = std::filesystem;

namespace {

struct Store {
  cupola::testing::TempDir tmp{"cc-bits-store"};
  Blobstore store = Blobstore::open(tmp / "blobs").value();

  std::size_t staged_files() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(store.root() / ".tmp")) ++n;
    return n;
  }
};

}  // namespace

TEST_CASE("Blobstore keys are relative paths of plain segments", "[bits][blobstore]") {
  Store s;
  for (const std::string good :
       {"packages/4b5a-9c", "droplets/x.tgz", "resources/ab/abc_def", "buildpacks/G-1", "a"}) {
    INFO(good);
    CHECK(check_blob_key(good));
    CHECK(*s.store.path(good) == s.tmp / "blobs" / good);
  }
  std::vector<std::string> bad_keys = {"",     "/etc/passwd", "../x",      "a/../b",
                                       "a//b", "a/",          "./a",       ".tmp/blob-1",
                                       "a b",  "a\\b",        "a/.hidden", "caf\xc3\xa9"};
  bad_keys.emplace_back("a\0b", 3);
  bad_keys.emplace_back(1025, 'a');
  for (const auto& bad : bad_keys) {
    INFO(bad);
    auto check = check_blob_key(bad);
    REQUIRE_FALSE(check);
    CHECK(check.error().code == Errc::InvalidArgument);
    CHECK_FALSE(s.store.path(bad));
    CHECK_FALSE(s.store.exists(bad));
    CHECK_FALSE(s.store.put_string(bad, "x"));
    CHECK_FALSE(s.store.remove(bad));
  }
}

TEST_CASE("Blobs are written, read, copied out and removed", "[bits][blobstore]") {
  Store s;
  CHECK_FALSE(*s.store.exists("packages/p1"));
  REQUIRE(s.store.put_string("packages/p1", "zip bytes"));
  CHECK(*s.store.exists("packages/p1"));
  CHECK(*s.store.size("packages/p1") == 9);
  CHECK(cupola::testing::read_file(*s.store.path("packages/p1")) == "zip bytes");

  SECTION("a put replaces the blob") {
    REQUIRE(s.store.put_string("packages/p1", "new"));
    CHECK(cupola::testing::read_file(*s.store.path("packages/p1")) == "new");
    CHECK(s.staged_files() == 0);
  }
  SECTION("copy_to writes a copy elsewhere") {
    REQUIRE(s.store.copy_to("packages/p1", s.tmp / "out.zip"));
    CHECK(cupola::testing::read_file(s.tmp / "out.zip") == "zip bytes");
    auto missing = s.store.copy_to("packages/none", s.tmp / "none.zip");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::NotFound);
  }
  SECTION("remove, also of a missing blob") {
    REQUIRE(s.store.remove("packages/p1"));
    CHECK_FALSE(*s.store.exists("packages/p1"));
    CHECK(s.store.remove("packages/p1"));
    CHECK(s.store.remove("never/written"));
    auto size = s.store.size("packages/p1");
    REQUIRE_FALSE(size);
    CHECK(size.error().code == Errc::NotFound);
  }
  SECTION("a directory of keys is not a blob") {
    CHECK_FALSE(*s.store.exists("packages"));
    CHECK(s.store.size("packages").error().code == Errc::NotFound);
  }
}

TEST_CASE("Files move into the store", "[bits][blobstore]") {
  Store s;
  SECTION("a staged file is renamed into place") {
    auto staged = s.store.temp_path();
    REQUIRE(staged);
    CHECK(staged->parent_path() == s.store.root() / ".tmp");
    CHECK(fs::is_regular_file(*staged));
    CHECK(fs::file_size(*staged) == 0);
    { std::ofstream(*staged) << "droplet"; }
    struct stat before {};
    REQUIRE(::stat(staged->c_str(), &before) == 0);

    REQUIRE(s.store.put_file("droplets/d1", *staged));
    CHECK_FALSE(fs::exists(*staged));
    struct stat after {};
    REQUIRE(::stat(s.store.path("droplets/d1")->c_str(), &after) == 0);
    CHECK(after.st_ino == before.st_ino);
    CHECK(cupola::testing::read_file(*s.store.path("droplets/d1")) == "droplet");
  }
  SECTION("temp paths are unique") {
    std::set<fs::path> seen;
    for (int i = 0; i < 50; ++i) CHECK(seen.insert(*s.store.temp_path()).second);
  }
  SECTION("a file from another file system is copied, then removed") {
    std::string dir = "/dev/shm/cc-bits-XXXXXX";
    if (!::mkdtemp(dir.data())) {
      WARN("no /dev/shm: the copy path across file systems is not exercised");
      return;
    }
    struct Cleanup {
      fs::path path;
      ~Cleanup() {
        std::error_code ec;
        fs::remove_all(path, ec);
      }
    } cleanup{dir};
    fs::path src = cleanup.path / "pkg.zip";
    { std::ofstream(src) << "other fs"; }
    REQUIRE(s.store.put_file("packages/p2", src));
    CHECK_FALSE(fs::exists(src));
    CHECK(cupola::testing::read_file(*s.store.path("packages/p2")) == "other fs");
    CHECK(s.staged_files() == 0);
  }
  SECTION("put_copy leaves the source in place") {
    auto src = s.tmp.write_file("keep", "kept");
    REQUIRE(s.store.put_copy("resources/ab/k", src));
    CHECK(cupola::testing::read_file(src) == "kept");
    CHECK(cupola::testing::read_file(*s.store.path("resources/ab/k")) == "kept");
    CHECK(s.staged_files() == 0);
  }
  SECTION("a missing or non-regular source is refused") {
    auto missing = s.store.put_file("packages/p3", s.tmp / "missing");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::NotFound);
    auto dir = s.store.put_file("packages/p3", s.tmp.path());
    REQUIRE_FALSE(dir);
    CHECK(dir.error().code == Errc::InvalidArgument);
  }
}
