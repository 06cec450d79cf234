#pragma once

#include <string>

#include "common/core/result.h"

// Small file-system helpers shared by the backends.
namespace cupola::garden {

// Writes `content` to `path` through a temporary file and a rename, so a crash leaves the
// old content or the new, never a torn file.
Status write_file_atomic(const std::string& path, const std::string& content);
Result<std::string> read_file(const std::string& path, std::size_t max_bytes = 1 << 20);
// Whether `path` is the root of a mount (its device differs from its parent's, or it is
// listed in /proc/self/mountinfo).
bool is_mount_point(const std::string& path);
// Looks a program up in PATH (and the sbin directories); empty when not found.
std::string find_program(const std::string& name);

}  // namespace cupola::garden
