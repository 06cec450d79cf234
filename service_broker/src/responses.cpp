#include "service_broker/src/responses.h"

#include "common/json/json.h"
#include "service_broker/src/errors.h"

namespace cupola::pg_broker {

http::Response osb_error(http::StatusCode status, std::string_view error,
                         std::string_view description) {
  json::Writer w;
  w.start_object();
  if (!error.empty()) w.field("error", error);
  w.field("description", description.empty() ? std::string_view("Request failed") : description);
  w.end_object();
  return http::json_response(status, w.str());
}

http::Response empty_object(http::StatusCode status) { return http::json_response(status, "{}"); }

http::Response error_answer(const Error& e) {
  using S = http::StatusCode;
  if (e.code.category() == broker_category()) {
    switch (static_cast<BrokerErrc>(e.code.value())) {
      case BrokerErrc::BadRequest:
        return osb_error(S::bad_request, "BadRequest", e.message);
      case BrokerErrc::NotFound:
        return osb_error(S::not_found, "NotFound", e.message);
      case BrokerErrc::Conflict:
        return osb_error(S::conflict, "Conflict", e.message);
      case BrokerErrc::Gone:
        // A platform treats 410 on a delete as success; it wants no error in the body.
        return empty_object(S::gone);
      case BrokerErrc::AsyncRequired:
        return osb_error(S::unprocessable_entity, "AsyncRequired", e.message);
      case BrokerErrc::ConcurrencyError:
        return osb_error(S::unprocessable_entity, "ConcurrencyError", e.message);
      case BrokerErrc::InstanceNotUsable:
        return osb_error(S::unprocessable_entity, "InstanceNotUsable", e.message);
      case BrokerErrc::TargetFailed:
        return osb_error(S::internal_server_error, "DatabaseServerError", e.message);
    }
  }
  if (e.code == make_error_code(Errc::Unavailable) || e.code == make_error_code(Errc::Timeout)) {
    return osb_error(S::service_unavailable, "ServiceUnavailable",
                     "The broker's database is not reachable; try again later.");
  }
  return osb_error(S::internal_server_error, "InternalError", "The broker failed: " + e.message);
}

http::Response plumbing_error(http::StatusCode status, std::string_view message) {
  std::string_view code;
  switch (status) {
    case http::StatusCode::not_found:
      code = "NotFound";
      break;
    case http::StatusCode::method_not_allowed:
      code = "MethodNotAllowed";
      break;
    case http::StatusCode::payload_too_large:
      code = "PayloadTooLarge";
      break;
    case http::StatusCode::bad_request:
      code = "BadRequest";
      break;
    default:
      code = http::bhttp::to_status_class(status) == http::bhttp::status_class::client_error
                 ? "BadRequest"
                 : "InternalError";
  }
  return osb_error(status, code, message);
}

}  // namespace cupola::pg_broker
