#include "bbs/src/handlers/common.h"

#include "bbs/api/models/errors.h"

namespace cupola::bbs {

http::StatusCode status_of(const Error& e) {
  switch (error_type_of(e)) {
    case ErrorType::InvalidRequest:
    case ErrorType::InvalidJSON:
      return http::StatusCode::bad_request;
    case ErrorType::ResourceNotFound:
      return http::StatusCode::not_found;
    case ErrorType::ResourceExists:
    case ErrorType::ResourceConflict:
    case ErrorType::InvalidStateTransition:
    case ErrorType::ActualLRPCannotBeClaimed:
    case ErrorType::ActualLRPCannotBeStarted:
    case ErrorType::ActualLRPCannotBeCrashed:
    case ErrorType::ActualLRPCannotBeFailed:
    case ErrorType::ActualLRPCannotBeRemoved:
    case ErrorType::ActualLRPCannotBeUnclaimed:
    case ErrorType::RunningOnDifferentCell:
    case ErrorType::LockCollision:
      return http::StatusCode::conflict;
    case ErrorType::ServiceUnavailable:
    case ErrorType::Timeout:
      return http::StatusCode::service_unavailable;
    default:
      return http::StatusCode::internal_server_error;
  }
}

http::Response error_response(const Error& e) {
  json::Writer w;
  w.start_object().key("error").start_object();
  w.field("type", error_type_name(error_type_of(e))).field("message", e.message);
  w.end_object().end_object();
  return http::json_response(status_of(e), w.str());
}

http::Response plumbing_error(http::StatusCode status, std::string_view message) {
  ErrorType type = ErrorType::UnknownError;
  switch (status) {
    case http::StatusCode::not_found:
      type = ErrorType::ResourceNotFound;
      break;
    case http::StatusCode::request_timeout:
      type = ErrorType::Timeout;
      break;
    case http::StatusCode::internal_server_error:
      type = ErrorType::UnknownError;
      break;
    default:
      if (http::bhttp::to_status_class(status) == http::bhttp::status_class::client_error) {
        type = ErrorType::InvalidRequest;
      }
  }
  json::Writer w;
  w.start_object().key("error").start_object();
  w.field("type", error_type_name(type)).field("message", message);
  w.end_object().end_object();
  return http::json_response(status, w.str());
}

http::Response ok_response(std::string json) {
  return http::json_response(http::StatusCode::ok, std::move(json));
}

Status read_body(const http::RequestContext& ctx,
                 const std::function<void(json::ObjectReader&)>& read) {
  const std::string& body = ctx.request.body();
  auto doc = json::parse(body.empty() ? std::string_view("{}") : std::string_view(body));
  if (!doc) return bbs_error(ErrorType::InvalidRequest, doc.error().message);
  json::ObjectReader r(*doc);
  if (r.ok()) read(r);
  if (!r.ok()) {
    std::string msg;
    for (const auto& p : r.problems()) {
      if (!msg.empty()) msg += "; ";
      msg += p;
    }
    return bbs_error(ErrorType::InvalidRequest, "invalid request: " + msg);
  }
  return {};
}

}  // namespace cupola::bbs
