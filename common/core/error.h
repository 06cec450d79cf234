#pragma once

#include <string>
#include <system_error>

namespace cupola {

// The platform-wide error codes for failures that are not specific to one component.
// Components define their own `enum class` codes with their own category and map them
// to their wire format; these cover plumbing (I/O, parsing, timeouts).
enum class Errc {
  Ok = 0,
  InvalidArgument,
  NotFound,
  Conflict,
  Timeout,
  Unavailable,
  Cancelled,
  LimitExceeded,
  Internal,
};

const std::error_category& cupola_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), cupola_category()};
}

// An expected failure: a machine-readable code and a message for people. The message says
// what went wrong and, where it can, what to do next.
struct Error {
  std::error_code code;
  std::string message;

  // "message (category: code message)", for logs.
  std::string describe() const;
};

inline Error make_error(std::error_code code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace cupola

template <>
struct std::is_error_code_enum<cupola::Errc> : std::true_type {};
