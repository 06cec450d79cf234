#pragma once

#include <string>
#include <system_error>

#include "common/core/error.h"

namespace cupola::pg_broker {

// What can go wrong with a broker request, as the Open Service Broker API names it. The
// handlers map each code to its HTTP status and OSB error body.
enum class BrokerErrc {
  BadRequest = 1,     // 400: malformed or missing data, unknown service or plan
  NotFound,           // 404: no such instance or binding
  Conflict,           // 409: exists with different attributes
  Gone,               // 410: deleting what does not exist
  AsyncRequired,      // 422 AsyncRequired: the platform must accept an asynchronous answer
  ConcurrencyError,   // 422 ConcurrencyError: another operation is in progress
  InstanceNotUsable,  // 422: the instance failed and must be deleted or repaired
  TargetFailed,       // 500: the database server refused or could not be reached
};

const std::error_category& broker_category() noexcept;

inline std::error_code make_error_code(BrokerErrc e) noexcept {
  return {static_cast<int>(e), broker_category()};
}

inline Error broker_error(BrokerErrc code, std::string message) {
  return Error{make_error_code(code), std::move(message)};
}

}  // namespace cupola::pg_broker

template <>
struct std::is_error_code_enum<cupola::pg_broker::BrokerErrc> : std::true_type {};
