#pragma once

#include <filesystem>

#include "cloud_controller/src/bits/hashing.h"
#include "common/core/result.h"

namespace cupola::cc::bits {

// Writes the contents of `src_dir` (not the directory itself) to `out_path` as a gzip'd tar
// (ustar, with pax headers only for names or links that need them) and returns the digest
// of the bytes written; the file is fsynced. Entries are named relative to `src_dir`
// without a "./" prefix, in byte order of their names (a directory before what it holds),
// with their permission bits and modification times; symbolic links are stored as links,
// never followed. Owners are uid/gid 0 with no names, and the gzip header carries no
// timestamp, so the same tree always gives the same bytes; the reader is expected to
// extract with --no-same-owner. Errc::InvalidArgument for a device, FIFO or socket in the
// tree; Errc::Internal for I/O failures. `out_path` is created or truncated; on error it
// may hold part of an archive.
Result<Digest> write_tgz(const std::filesystem::path& src_dir,
                         const std::filesystem::path& out_path);

}  // namespace cupola::cc::bits
