#include "cloud_controller/src/bits/resource_pool.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>

#include "common/testing/temp_dir.h"

using namespace cupola;
using namespace cupola::cc::bits;
namespace fs = std::filesystem;

namespace {

constexpr const char* kHelloSha1 = "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d";
constexpr const char* kWorldSha1 = "a6794c8314ad6aeb08ed149660ee3fefbcda5e6c";  // "world!"
constexpr const char* kEmptySha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

struct Pool {
  cupola::testing::TempDir tmp{"cc-bits-pool"};
  Blobstore store = Blobstore::open(tmp / "store").value();
  ResourcePool pool{store};
  fs::path app = tmp / "app";

  Pool() { fs::create_directory(app); }
};

unsigned perm_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("The resource pool matches files by SHA-1 and size", "[bits][resources]") {
  Pool p;
  auto hello = p.tmp.write_file("hello", "hello");
  REQUIRE(p.pool.add(hello, kHelloSha1, 5));
  CHECK(*p.store.exists(std::string("resources/aa/") + kHelloSha1));

  std::vector<Resource> asked = {
      {.path = "app.rb", .mode = "644", .sha1 = kHelloSha1, .size = 5},
      {.path = "wrong-size", .mode = "644", .sha1 = kHelloSha1, .size = 6},
      {.path = "unknown", .mode = "644", .sha1 = kWorldSha1, .size = 6},
      {.path = "UPPER",
       .mode = "644",
       .sha1 = "AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D",
       .size = 5},
      {.path = "malformed", .mode = "644", .sha1 = "../../etc/passwd", .size = 5},
      {.path = "empty", .mode = "644", .sha1 = kEmptySha1, .size = 0},
  };
  auto matched = p.pool.match(asked);
  REQUIRE(matched);
  REQUIRE(matched->size() == 2);
  CHECK((*matched)[0].path == "app.rb");
  CHECK((*matched)[1].path == "UPPER");

  SECTION("the pool shares the file by a hard link on the same file system") {
    struct stat a {
    }, b{};
    REQUIRE(::stat(hello.c_str(), &a) == 0);
    REQUIRE(::stat(p.store.path(std::string("resources/aa/") + kHelloSha1)->c_str(), &b) == 0);
    CHECK(a.st_ino == b.st_ino);
  }
  SECTION("adding a pooled file again keeps the first") {
    auto again = p.tmp.write_file("again", "hello");
    REQUIRE(p.pool.add(again, kHelloSha1, 5));
    CHECK(fs::hard_link_count(hello) == 2);
  }
}

TEST_CASE("Files outside the size bounds are not pooled", "[bits][resources]") {
  Pool p;
  auto empty = p.tmp.write_file("empty", "");
  REQUIRE(p.pool.add(empty, kEmptySha1, 0));
  CHECK_FALSE(*p.store.exists(std::string("resources/da/") + kEmptySha1));

  ResourcePool small(p.store, ResourcePoolOptions{.max_size = 5});
  auto world = p.tmp.write_file("world", "world!");
  REQUIRE(small.add(world, kWorldSha1, 6));
  CHECK_FALSE(*p.store.exists(std::string("resources/a6/") + kWorldSha1));

  SECTION("and a pooled file above the bound is not matched either") {
    REQUIRE(p.pool.add(world, kWorldSha1, 6));
    CHECK(p.pool.match({{.path = "w", .mode = "644", .sha1 = kWorldSha1, .size = 6}})->size() == 1);
    CHECK(small.match({{.path = "w", .mode = "644", .sha1 = kWorldSha1, .size = 6}})->empty());
  }
  SECTION("a wrong size or SHA-1 is refused") {
    auto r = p.pool.add(world, kWorldSha1, 7);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::InvalidArgument);
    auto bad = p.pool.add(world, "not-a-sha1", 6);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::InvalidArgument);
  }
}

TEST_CASE("Matched resources are written into the app directory", "[bits][resources]") {
  Pool p;
  REQUIRE(p.pool.add(p.tmp.write_file("hello", "hello"), kHelloSha1, 5));

  auto file = p.pool.materialize(
      p.app, {.path = "lib/deep/app.rb", .mode = "0755", .sha1 = kHelloSha1, .size = 5});
  REQUIRE(file);
  CHECK(file->path == "lib/deep/app.rb");
  CHECK(file->mode == 0755);
  CHECK(file->sha1 == kHelloSha1);
  CHECK(cupola::testing::read_file(p.app / "lib/deep/app.rb") == "hello");
  CHECK(perm_of(p.app / "lib/deep/app.rb") == 0755);
  CHECK(perm_of(p.app / "lib") == 0755);

  SECTION("modes are octal, with a file type or without, owner read added") {
    REQUIRE(
        p.pool.materialize(p.app, {.path = "a", .mode = "0100600", .sha1 = kHelloSha1, .size = 5}));
    CHECK(perm_of(p.app / "a") == 0600);
    REQUIRE(p.pool.materialize(p.app, {.path = "b", .mode = "200", .sha1 = kHelloSha1, .size = 5}));
    CHECK(perm_of(p.app / "b") == 0600);
    for (const std::string bad : {"", "rw-r--r--", "9", "0x1ff", "-644", "12345678"}) {
      INFO(bad);
      auto r = p.pool.materialize(p.app, {.path = "c", .mode = bad, .sha1 = kHelloSha1, .size = 5});
      REQUIRE_FALSE(r);
      CHECK(r.error().code == Errc::InvalidArgument);
      CHECK_THAT(r.error().message, Catch::Contains("is not an octal file mode"));
    }
  }
  SECTION("the unpacker's path rules apply") {
    for (const std::string bad : {"../x", "/x", "a/../../x", "", "lib/deep/app.rb"}) {
      INFO(bad);
      auto r =
          p.pool.materialize(p.app, {.path = bad, .mode = "644", .sha1 = kHelloSha1, .size = 5});
      REQUIRE_FALSE(r);
      CHECK(r.error().code == Errc::InvalidArgument);
      CHECK_THAT(r.error().message, Catch::StartsWith("The app package is invalid: "));
    }
    CHECK_FALSE(fs::exists(p.tmp / "x"));
  }
  SECTION("nothing is written through a link in the app directory") {
    fs::create_directory_symlink(p.tmp.path(), p.app / "out");
    auto r =
        p.pool.materialize(p.app, {.path = "out/x", .mode = "644", .sha1 = kHelloSha1, .size = 5});
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("goes through the symbolic link 'out'"));
    CHECK_FALSE(fs::exists(p.tmp / "x"));
  }
  SECTION("a resource the pool lacks is NotFound") {
    auto r = p.pool.materialize(p.app, {.path = "w", .mode = "644", .sha1 = kWorldSha1, .size = 6});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::NotFound);
  }
}

TEST_CASE("A corrupt pool entry is never used", "[bits][resources]") {
  Pool p;
  REQUIRE(p.store.put_string(std::string("resources/aa/") + kHelloSha1, "HELLO"));
  std::vector<Resource> asked = {{.path = "app.rb", .mode = "644", .sha1 = kHelloSha1, .size = 5}};
  REQUIRE(p.pool.match(asked)->size() == 1);

  auto r = p.pool.materialize(p.app, asked[0]);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::Internal);
  CHECK_THAT(r.error().message, Catch::Contains("is corrupt"));
  SECTION("and is dropped, so the next push uploads the file") {
    CHECK(p.pool.match(asked)->empty());
  }
}
