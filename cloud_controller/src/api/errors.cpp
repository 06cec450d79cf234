#include "cloud_controller/src/api/errors.h"

#include "common/json/json.h"

namespace cupola::cc {

http::Response error_response(const CcError& e) {
  json::Writer w;
  w.start_object().key("errors").start_array().start_object();
  w.field("detail", e.detail).field("title", e.title).field("code", e.code);
  w.end_object().end_array().end_object();
  return http::json_response(e.status, std::string(w.view()));
}

CcError not_authenticated() {
  return {http::StatusCode::unauthorized, 10002, "CF-NotAuthenticated", "Authentication error"};
}

CcError invalid_auth_token() {
  return {http::StatusCode::unauthorized, 1000, "CF-InvalidAuthToken", "Invalid Auth Token"};
}

CcError not_authorized() {
  return {http::StatusCode::forbidden, 10003, "CF-NotAuthorized",
          "You are not authorized to perform the requested action"};
}

CcError not_found(std::string_view what) {
  return {http::StatusCode::not_found, 10010, "CF-ResourceNotFound",
          std::string(what) + " not found"};
}

CcError unknown_request() {
  return {http::StatusCode::not_found, 10000, "CF-NotFound", "Unknown request"};
}

CcError unprocessable(std::string detail) {
  return {http::StatusCode::unprocessable_entity, 10008, "CF-UnprocessableEntity",
          std::move(detail)};
}

CcError uniqueness(std::string detail) {
  return {http::StatusCode::unprocessable_entity, 10016, "CF-UniquenessError", std::move(detail)};
}

CcError bad_query(std::string detail) {
  return {http::StatusCode::bad_request, 10005, "CF-BadQueryParameter", std::move(detail)};
}

CcError message_parse(std::string detail) {
  return {http::StatusCode::bad_request, 1001, "CF-MessageParseError", std::move(detail)};
}

CcError unavailable(std::string detail) {
  return {http::StatusCode::service_unavailable, 10015, "CF-ServiceUnavailable", std::move(detail)};
}

CcError server_error() {
  return {http::StatusCode::internal_server_error, 10001, "CF-ServerError",
          "An unknown error occurred."};
}

}  // namespace cupola::cc
