#pragma once

#include <string>
#include <string_view>
#include <system_error>

#include "common/core/error.h"

namespace cupola::pg {

// SQLSTATE codes callers commonly branch on.
namespace sqlstate_codes {
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kForeignKeyViolation = "23503";
inline constexpr std::string_view kNotNullViolation = "23502";
inline constexpr std::string_view kCheckViolation = "23514";
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kDeadlockDetected = "40P01";
inline constexpr std::string_view kQueryCanceled = "57014";
inline constexpr std::string_view kAdminShutdown = "57P01";
inline constexpr std::string_view kUndefinedTable = "42P01";
inline constexpr std::string_view kSyntaxError = "42601";
}  // namespace sqlstate_codes

// The category of errors reported by the Postgres server. An error_code in this category
// carries the five-character SQLSTATE, encoded as an integer (see sqlstate_code()).
// Failures that never reached the server (connection lost, pool exhausted) use
// cupola::Errc instead: Errc::Unavailable and Errc::Timeout.
const std::error_category& pg_category() noexcept;

// The error_code for a SQLSTATE such as "23505". Characters must be 0-9 or A-Z; anything
// else yields a default-constructed (empty) error_code.
std::error_code sqlstate_code(std::string_view sqlstate);

// The SQLSTATE of a pg_category code or error, "" for any other code.
std::string sqlstate(const std::error_code& code);
std::string sqlstate(const Error& error);

bool has_sqlstate(const Error& error, std::string_view sqlstate);
bool is_unique_violation(const Error& error);
bool is_foreign_key_violation(const Error& error);
bool is_serialization_failure(const Error& error);
bool is_deadlock(const Error& error);
// Serialization failures and deadlocks: running the whole transaction again may succeed.
bool is_retryable_transaction_error(const Error& error);
// The connection is gone (Errc::Unavailable, SQLSTATE class 08, or an admin shutdown).
bool is_connection_error(const Error& error);

}  // namespace cupola::pg
