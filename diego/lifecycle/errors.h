#pragma once

#include <string>
#include <system_error>

#include "common/core/result.h"

namespace cupola::lifecycle {

// The lifecycle binaries are linked statically and so use common/core's Result and Error
// header-only: their codes come from the standard generic category, not cupola_category()
// (which lives in cupola_core, a library that needs the shared libfmt).
inline Error invalid_argument(std::string message) {
  return Error{std::make_error_code(std::errc::invalid_argument), std::move(message)};
}

inline Error failure(std::errc code, std::string message) {
  return Error{std::make_error_code(code), std::move(message)};
}

// A failure caused by a system call, carrying its errno value.
inline Error errno_failure(int err, std::string message) {
  return Error{std::error_code(err, std::generic_category()), std::move(message)};
}

}  // namespace cupola::lifecycle
