#pragma once

#include <string>
#include <string_view>

#include "common/core/error.h"
#include "common/http/message.h"

namespace cupola::pg_broker {

// An OSB error body: {"error": "<CamelCase code>", "description": "<for people>"}. An empty
// `error` leaves that member out.
http::Response osb_error(http::StatusCode status, std::string_view error,
                         std::string_view description);

// The HTTP answer for an error: BrokerErrc codes by the OSB rules (400, 404, 409, 410 with
// an empty object, 422 AsyncRequired or ConcurrencyError, 500), anything else (the broker's
// own database failing) 503 or 500.
http::Response error_answer(const Error& e);

// Renders the errors the HTTP server answers itself (unknown paths, 413, ...) as OSB errors.
http::Response plumbing_error(http::StatusCode status, std::string_view message);

// `{}` with `status`.
http::Response empty_object(http::StatusCode status);

}  // namespace cupola::pg_broker
