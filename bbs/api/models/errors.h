#pragma once

#include <string>
#include <string_view>
#include <system_error>

#include "common/core/error.h"

namespace cupola::bbs {

// The BBS error types, as Diego names them. They travel in every error body:
//   {"error": {"type": "ResourceNotFound", "message": "..."}}
enum class ErrorType {
  UnknownError = 1,
  InvalidRecord,
  InvalidRequest,
  InvalidResponse,
  InvalidJSON,
  InvalidStateTransition,
  ResourceConflict,
  ResourceExists,
  ResourceNotFound,
  ActualLRPCannotBeClaimed,
  ActualLRPCannotBeStarted,
  ActualLRPCannotBeCrashed,
  ActualLRPCannotBeFailed,
  ActualLRPCannotBeRemoved,
  ActualLRPCannotBeUnclaimed,
  RunningOnDifferentCell,
  Deserialize,
  Unrecoverable,
  LockCollision,
  Timeout,
  ServiceUnavailable,
};

const std::error_category& bbs_category() noexcept;

inline std::error_code make_error_code(ErrorType e) noexcept {
  return {static_cast<int>(e), bbs_category()};
}

std::string_view error_type_name(ErrorType t);
// Unknown names read as UnknownError.
ErrorType parse_error_type(std::string_view name);

inline Error bbs_error(ErrorType type, std::string message) {
  return Error{make_error_code(type), std::move(message)};
}

// The BBS type of any error: its own when it is a BBS error, otherwise mapped from the
// plumbing's codes (NotFound → ResourceNotFound, Conflict → ResourceConflict, ...).
ErrorType error_type_of(const Error& e);

}  // namespace cupola::bbs

template <>
struct std::is_error_code_enum<cupola::bbs::ErrorType> : std::true_type {};
