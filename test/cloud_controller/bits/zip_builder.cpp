#include "test/cloud_controller/bits/zip_builder.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include <archive.h>
#include <archive_entry.h>

#include "cloud_controller/src/bits/utf8_locale.h"

namespace cupola::cc::bits::testing {
namespace {

struct WriteFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

void check(archive* a, int r, const std::string& what) {
  if (r < ARCHIVE_WARN) {
    const char* message = archive_error_string(a);
    throw std::runtime_error(what + ": " + (message ? message : "libarchive failed"));
  }
}

}  // namespace

ZipBuilder& ZipBuilder::file(std::string name, std::string content, unsigned perm) {
  entries_.push_back(Entry{
      .name = std::move(name), .type = AE_IFREG, .perm = perm, .content = std::move(content)});
  return *this;
}

ZipBuilder& ZipBuilder::dir(std::string name, unsigned perm) {
  entries_.push_back(Entry{.name = std::move(name), .type = AE_IFDIR, .perm = perm});
  return *this;
}

ZipBuilder& ZipBuilder::tree(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    std::string name = fs::relative(e.path(), root).string();
    auto perms = static_cast<unsigned>(e.symlink_status().permissions()) & 0777;
    if (e.is_directory()) {
      dir(name + "/", perms);
    } else if (e.is_regular_file()) {
      std::ifstream in(e.path(), std::ios::binary);
      file(name, std::string(std::istreambuf_iterator<char>(in), {}), perms);
    }
  }
  return *this;
}

ZipBuilder& ZipBuilder::symlink(std::string name, std::string target) {
  entries_.push_back(
      Entry{.name = std::move(name), .type = AE_IFLNK, .perm = 0777, .target = std::move(target)});
  return *this;
}

ZipBuilder& ZipBuilder::zeros(std::string name, std::uint64_t bytes) {
  entries_.push_back(
      Entry{.name = std::move(name), .type = AE_IFREG, .perm = 0644, .zeros = bytes});
  return *this;
}

void ZipBuilder::write(const std::filesystem::path& out) const {
  // Non-ASCII names get the zip's UTF-8 flag, as the cf CLI writes them.
  ScopedUtf8Locale utf8;
  std::unique_ptr<archive, WriteFree> a(archive_write_new());
  check(a.get(), archive_write_set_format_zip(a.get()), "zip format");
  check(a.get(), archive_write_open_filename(a.get(), out.c_str()), "open " + out.string());
  for (const auto& e : entries_) {
    std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), e.name.c_str());
    archive_entry_set_filetype(entry.get(), e.type);
    archive_entry_set_perm(entry.get(), e.perm);
    archive_entry_set_mtime(entry.get(), 1700000000, 0);
    if (e.type == AE_IFLNK) archive_entry_set_symlink(entry.get(), e.target.c_str());
    if (e.type == AE_IFREG) {
      archive_entry_set_size(entry.get(),
                             static_cast<la_int64_t>(e.zeros ? e.zeros : e.content.size()));
    }
    check(a.get(), archive_write_header(a.get(), entry.get()), "header of " + e.name);
    if (!e.content.empty()) {
      check(a.get(),
            static_cast<int>(archive_write_data(a.get(), e.content.data(), e.content.size())),
            "data of " + e.name);
    }
    const std::string chunk(1 << 20, '\0');
    for (std::uint64_t left = e.zeros; left > 0;) {
      std::size_t n = left < chunk.size() ? static_cast<std::size_t>(left) : chunk.size();
      check(a.get(), static_cast<int>(archive_write_data(a.get(), chunk.data(), n)),
            "data of " + e.name);
      left -= n;
    }
  }
  check(a.get(), archive_write_close(a.get()), "close " + out.string());
}

void patch_zip_mode(const std::filesystem::path& zip, const std::string& name, unsigned mode) {
  std::string bytes;
  {
    std::ifstream in(zip, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // A central directory header: signature PK\1\2, external attributes at offset 38, the
  // name (length at offset 28) at offset 46.
  const std::string signature("PK\x01\x02", 4);
  for (auto pos = bytes.find(signature); pos != std::string::npos;
       pos = bytes.find(signature, pos + 4)) {
    if (pos + 46 > bytes.size()) break;
    auto u8 = [&](std::size_t at) { return static_cast<unsigned char>(bytes[pos + at]); };
    std::size_t name_len = u8(28) | (u8(29) << 8);
    if (bytes.compare(pos + 46, name_len, name) != 0 || name_len != name.size()) continue;
    bytes[pos + 40] = static_cast<char>(mode & 0xff);
    bytes[pos + 41] = static_cast<char>((mode >> 8) & 0xff);
    std::ofstream out(zip, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot rewrite " + zip.string());
    return;
  }
  throw std::runtime_error("no central directory entry for " + name);
}

}  // namespace cupola::cc::bits::testing
