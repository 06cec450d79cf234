#include "common/pg/error.h"

#include <array>
#include <utility>

namespace cupola::pg {
namespace {

constexpr int kBase = 36;
constexpr std::size_t kLength = 5;

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

char digit_char(int v) { return static_cast<char>(v < 10 ? '0' + v : 'A' + (v - 10)); }

// Code value 0 means success to std::error_code, so every SQLSTATE (even "00000")
// is stored as its base-36 value plus one.
std::string decode(int value) {
  if (value <= 0) return "";
  int v = value - 1;
  std::string out(kLength, '0');
  for (std::size_t i = kLength; i-- > 0;) {
    out[i] = digit_char(v % kBase);
    v /= kBase;
  }
  return v == 0 ? out : "";
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kNames{{
    {sqlstate_codes::kUniqueViolation, "unique_violation"},
    {sqlstate_codes::kForeignKeyViolation, "foreign_key_violation"},
    {sqlstate_codes::kNotNullViolation, "not_null_violation"},
    {sqlstate_codes::kCheckViolation, "check_violation"},
    {sqlstate_codes::kSerializationFailure, "serialization_failure"},
    {sqlstate_codes::kDeadlockDetected, "deadlock_detected"},
    {sqlstate_codes::kQueryCanceled, "query_canceled"},
    {sqlstate_codes::kAdminShutdown, "admin_shutdown"},
    {sqlstate_codes::kUndefinedTable, "undefined_table"},
    {sqlstate_codes::kSyntaxError, "syntax_error"},
}};

class PgCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "postgres"; }
  std::string message(int ev) const override {
    std::string state = decode(ev);
    if (state.empty()) return "unknown postgres error";
    for (const auto& [code, label] : kNames) {
      if (code == state) return "SQLSTATE " + state + " " + std::string(label);
    }
    return "SQLSTATE " + state;
  }
};

}  // namespace

const std::error_category& pg_category() noexcept {
  static const PgCategory category;
  return category;
}

std::error_code sqlstate_code(std::string_view sqlstate) {
  if (sqlstate.size() != kLength) return {};
  int value = 0;
  for (char c : sqlstate) {
    int d = digit_value(c);
    if (d < 0) return {};
    value = value * kBase + d;
  }
  return {value + 1, pg_category()};
}

std::string sqlstate(const std::error_code& code) {
  if (code.category() != pg_category()) return "";
  return decode(code.value());
}

std::string sqlstate(const Error& error) { return sqlstate(error.code); }

bool has_sqlstate(const Error& error, std::string_view state) {
  return error.code.category() == pg_category() && sqlstate(error.code) == state;
}

bool is_unique_violation(const Error& error) {
  return has_sqlstate(error, sqlstate_codes::kUniqueViolation);
}

bool is_foreign_key_violation(const Error& error) {
  return has_sqlstate(error, sqlstate_codes::kForeignKeyViolation);
}

bool is_serialization_failure(const Error& error) {
  return has_sqlstate(error, sqlstate_codes::kSerializationFailure);
}

bool is_deadlock(const Error& error) {
  return has_sqlstate(error, sqlstate_codes::kDeadlockDetected);
}

bool is_retryable_transaction_error(const Error& error) {
  return is_serialization_failure(error) || is_deadlock(error);
}

bool is_connection_error(const Error& error) {
  if (error.code == Errc::Unavailable) return true;
  std::string state = sqlstate(error);
  return state.starts_with("08") || state == sqlstate_codes::kAdminShutdown;
}

}  // namespace cupola::pg
