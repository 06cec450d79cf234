#include "cloud_controller/src/bits/tgz.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include <archive.h>
#include <archive_entry.h>

#include "cloud_controller/src/bits/utf8_locale.h"
#include "common/testing/temp_dir.h"

using namespace cupola;
using namespace cupola::cc::bits;
namespace fs = std::filesystem;

namespace {

struct Listed {
  std::string name;
  unsigned type = 0;
  unsigned perm = 0;
  long long mtime = 0;
  long long uid = -1, gid = -1;
  bool has_owner_names = false;
  std::string symlink;
  std::string content;
};

struct ReadFree {
  void operator()(archive* a) const { archive_read_free(a); }
};

// Every entry of a .tgz, read back with libarchive, in archive order.
std::vector<Listed> list_tgz(const fs::path& path) {
  ScopedUtf8Locale utf8;
  std::unique_ptr<archive, ReadFree> a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  REQUIRE(archive_read_open_filename(a.get(), path.c_str(), 10240) == ARCHIVE_OK);
  std::vector<Listed> out;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
    Listed l;
    l.name = archive_entry_pathname(entry);
    l.type = archive_entry_filetype(entry);
    l.perm = archive_entry_perm(entry);
    l.mtime = archive_entry_mtime(entry);
    l.uid = archive_entry_uid(entry);
    l.gid = archive_entry_gid(entry);
    auto named = [](const char* s) { return s && *s; };
    l.has_owner_names = named(archive_entry_uname(entry)) || named(archive_entry_gname(entry));
    if (const char* target = archive_entry_symlink(entry)) l.symlink = target;
    char buffer[4096];
    for (la_ssize_t n; (n = archive_read_data(a.get(), buffer, sizeof buffer)) > 0;) {
      l.content.append(buffer, static_cast<std::size_t>(n));
    }
    out.push_back(std::move(l));
  }
  CHECK(archive_errno(a.get()) == 0);
  return out;
}

void set_mtime(const fs::path& p, time_t t) {
  timespec times[2] = {{t, 0}, {t, 0}};
  REQUIRE(::utimensat(AT_FDCWD, p.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
}

// An app directory with a script, a nested file, an empty directory and a link; every
// entry's mtime set to `t`.
void make_app(const fs::path& root, time_t t) {
  fs::create_directories(root / "lib/empty");
  { std::ofstream(root / "app.rb") << "puts 1\n"; }
  { std::ofstream(root / "run.sh") << "#!/bin/sh\n"; }
  { std::ofstream(root / "lib/util.rb") << "util"; }
  { std::ofstream(root / "lib-z.txt") << "z"; }
  fs::create_symlink("app.rb", root / "link");
  fs::permissions(root / "run.sh", fs::perms(0750));
  fs::permissions(root / "app.rb", fs::perms(0644));
  fs::permissions(root / "lib/util.rb", fs::perms(0600));
  fs::permissions(root / "lib", fs::perms(0755));
  fs::permissions(root / "lib/empty", fs::perms(0700));
  for (const auto& e : fs::recursive_directory_iterator(root)) set_mtime(e.path(), t);
}

}  // namespace

TEST_CASE("write_tgz packages a directory as a tar that round-trips", "[bits][tgz]") {
  cupola::testing::TempDir tmp("cc-bits-tgz");
  make_app(tmp / "app", 1700000000);
  auto digest = write_tgz(tmp / "app", tmp / "app.tgz");
  REQUIRE(digest);

  auto entries = list_tgz(tmp / "app.tgz");
  std::vector<std::string> names;
  for (const auto& e : entries) names.push_back(e.name);
  // Byte order: '-' sorts before '/', and a directory comes before what it holds.
  CHECK(names == std::vector<std::string>{"app.rb", "lib/", "lib-z.txt", "lib/empty/",
                                          "lib/util.rb", "link", "run.sh"});
  std::map<std::string, Listed> by_name;
  for (const auto& e : entries) {
    std::string name = e.name;
    if (name.back() == '/') name.pop_back();
    by_name[name] = e;
    CHECK(e.uid == 0);
    CHECK(e.gid == 0);
    CHECK_FALSE(e.has_owner_names);
    CHECK(e.mtime == 1700000000);
  }

  SECTION("contents, modes and links are kept") {
    CHECK(by_name["app.rb"].content == "puts 1\n");
    CHECK(by_name["app.rb"].perm == 0644);
    CHECK(by_name["run.sh"].perm == 0750);
    CHECK(by_name["run.sh"].type == AE_IFREG);
    CHECK(by_name["lib/util.rb"].content == "util");
    CHECK(by_name["lib/util.rb"].perm == 0600);
    CHECK(by_name["lib"].type == AE_IFDIR);
    CHECK(by_name["lib/empty"].type == AE_IFDIR);
    CHECK(by_name["lib/empty"].perm == 0700);
    CHECK(by_name["link"].type == AE_IFLNK);
    CHECK(by_name["link"].symlink == "app.rb");
    CHECK(by_name["link"].content.empty());
  }
  SECTION("the digest is of the bytes written") {
    auto on_disk = digest_file(tmp / "app.tgz");
    REQUIRE(on_disk);
    CHECK(digest->sha1 == on_disk->sha1);
    CHECK(digest->sha256 == on_disk->sha256);
    CHECK(digest->size == fs::file_size(tmp / "app.tgz"));
    CHECK(digest->sha1.size() == 40);
    CHECK(digest->sha256.size() == 64);
  }
  SECTION("the same tree gives the same bytes, wherever it lies and whenever it is written") {
    make_app(tmp / "elsewhere/copy", 1700000000);
    auto again = write_tgz(tmp / "elsewhere/copy", tmp / "again.tgz");
    REQUIRE(again);
    CHECK(again->sha1 == digest->sha1);
    CHECK(again->sha256 == digest->sha256);
    // Bytes 4-7 of a gzip header are its timestamp.
    std::string head = cupola::testing::read_file(tmp / "app.tgz").substr(0, 8);
    CHECK(head.substr(0, 2) == "\x1f\x8b");
    CHECK(head.substr(4, 4) == std::string(4, '\0'));
  }
  SECTION("a changed mtime changes the archive") {
    set_mtime(tmp / "app/app.rb", 1700000001);
    auto changed = write_tgz(tmp / "app", tmp / "changed.tgz");
    REQUIRE(changed);
    CHECK(changed->sha1 != digest->sha1);
  }
}

TEST_CASE("write_tgz keeps long names and refuses special files", "[bits][tgz]") {
  cupola::testing::TempDir tmp("cc-bits-tgz");
  std::string long_dir(120, 'd');
  fs::create_directories(tmp / "app" / long_dir);
  { std::ofstream(tmp / "app" / long_dir / std::string(120, 'f')) << "deep"; }
  REQUIRE(write_tgz(tmp / "app", tmp / "long.tgz"));
  auto entries = list_tgz(tmp / "long.tgz");
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].name == long_dir + "/" + std::string(120, 'f'));
  CHECK(entries[1].content == "deep");

  SECTION("names in UTF-8 are kept") {
    fs::create_directories(tmp / "utf8/caf\xc3\xa9");
    { std::ofstream(tmp / "utf8/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.txt") << "jp"; }
    REQUIRE(write_tgz(tmp / "utf8", tmp / "utf8.tgz"));
    auto listed = list_tgz(tmp / "utf8.tgz");
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].name == "caf\xc3\xa9/");
    CHECK(listed[1].name == "caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.txt");
    CHECK(listed[1].content == "jp");
  }
  SECTION("a FIFO is not packaged") {
    REQUIRE(::mkfifo((tmp / "app/fifo").c_str(), 0644) == 0);
    auto r = write_tgz(tmp / "app", tmp / "fifo.tgz");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::InvalidArgument);
  }
  SECTION("an empty directory gives an empty archive") {
    fs::create_directory(tmp / "empty");
    REQUIRE(write_tgz(tmp / "empty", tmp / "empty.tgz"));
    CHECK(list_tgz(tmp / "empty.tgz").empty());
  }
}

TEST_CASE("digest_file gives SHA-1, SHA-256 and size", "[bits][tgz]") {
  cupola::testing::TempDir tmp("cc-bits-digest");
  auto d = digest_file(tmp.write_file("hello", "hello"));
  REQUIRE(d);
  CHECK(d->sha1 == "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
  CHECK(d->sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  CHECK(d->size == 5);
  auto missing = digest_file(tmp / "missing");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == Errc::NotFound);
}
