#include "gorouter/rules/error_responses.h"

#include <fmt/format.h>

#include "gorouter/rules/names.h"

namespace cupola::router::rules {
namespace {

constexpr std::string_view kNoCache = "no-cache, no-store";
// Errors a client cannot fix by retrying at once may be cached briefly.
constexpr std::string_view kShortCache = "public,max-age=2";

std::string reason_phrase(int status) {
  const std::string_view text = status_text(status);
  return text.empty() ? fmt::format("status code {}", status) : std::string(text);
}

ErrorResponse written_error(int status, std::string_view router_error,
                            std::string_view cache_control, std::string_view message) {
  ErrorResponse r;
  r.status = status;
  r.reason = reason_phrase(status);
  r.headers.push_back({std::string(kXCfRouterError), std::string(router_error)});
  if (!cache_control.empty()) {
    r.headers.push_back({std::string(kCacheControl), std::string(cache_control)});
  }
  r.headers.push_back({std::string(kContentType), "text/plain; charset=utf-8"});
  r.headers.push_back({std::string(kContentTypeOptions), "nosniff"});
  r.body = fmt::format("{} {}: {}\n", status, status_text(status), message);
  return r;
}

}  // namespace

std::string_view status_text(int status) noexcept {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return {};
  }
}

ErrorResponse empty_host() {
  return written_error(400, "empty_host", kShortCache, "Request had empty Host header");
}

ErrorResponse invalid_app_instance_header() {
  return written_error(400, "invalid_cf_app_instance_header", kNoCache,
                       "Invalid X-CF-App-Instance Header");
}

ErrorResponse invalid_process_instance_header() {
  return written_error(400, "invalid_cf_process_instance_header", kNoCache,
                       "Invalid X-CF-Process-Instance Header");
}

ErrorResponse unknown_route(std::string_view host) {
  return written_error(404, "unknown_route", kNoCache,
                       fmt::format("Requested route ('{}') does not exist.", host));
}

ErrorResponse unknown_app_instance(std::string_view host, std::string_view app_guid,
                                   std::string_view index) {
  return written_error(
      400, "unknown_route", kNoCache,
      fmt::format("Requested instance ('{}') with guid ('{}') does not exist for route ('{}')",
                  index, app_guid, host));
}

ErrorResponse unknown_process_instance(std::string_view host, std::string_view process_guid,
                                       std::string_view index) {
  const std::string message =
      index.empty()
          ? fmt::format(
                "Requested instance with process guid ('{}') does not exist for route ('{}')",
                process_guid, host)
          : fmt::format(
                "Requested instance ('{}') with process guid ('{}') does not exist for "
                "route ('{}')",
                index, process_guid, host);
  return written_error(400, "unknown_route", kNoCache, message);
}

ErrorResponse no_endpoints(std::string_view host) {
  return written_error(503, "no_endpoints", kShortCache,
                       fmt::format("Requested route ('{}') has no available endpoints.", host));
}

ErrorResponse empty_pool(std::string_view host, bool empty_pool_response_code_503) {
  return empty_pool_response_code_503 ? no_endpoints(host) : unknown_route(host);
}

ErrorResponse connection_limit_reached(std::string_view host) {
  return written_error(
      503, "Connection Limit Reached", {},
      fmt::format("Requested route ('{}') has reached the connection limit.", host));
}

ErrorResponse request_headers_too_large() {
  ErrorResponse r;
  r.status = 431;
  r.reason = reason_phrase(431);
  r.headers.push_back({std::string(kXCfRouterError), "max-request-size-exceeded"});
  r.close_connection = true;
  return r;
}

ErrorResponse request_timeout() {
  ErrorResponse r = written_error(408, "request_timeout", kNoCache,
                                  "The request body did not arrive in time; send it again.");
  r.close_connection = true;
  return r;
}

ErrorResponse unsupported_protocol() {
  ErrorResponse r;
  r.status = 400;
  r.reason = reason_phrase(400);
  r.close_connection = true;
  r.bare_http10 = true;
  return r;
}

ErrorResponse endpoint_failure(const AttemptFailure& failure, std::string_view address) {
  int status = 502;
  std::string_view message = "502 Bad Gateway: Registered endpoint failed to handle the request.";
  switch (failure.kind) {
    case BackendFailure::TlsNotTlsBackend:
    case BackendFailure::TlsHandshakeFailure:
      status = 525, message = "525 SSL Handshake Failed";
      break;
    case BackendFailure::TlsHostnameMismatch:
      status = 503, message = "503 Service Unavailable";
      break;
    case BackendFailure::TlsUntrustedCertificate:
    case BackendFailure::TlsExpiredCertificate:
      status = 526, message = "526 Invalid SSL Certificate";
      break;
    case BackendFailure::TlsCertificateRejected:
      status = 496, message = "496 SSL Certificate Required";
      break;
    case BackendFailure::ClientCancelled:
      status = 499, message = "499 Request Cancelled";
      break;
    case BackendFailure::ResponseTimeout:
      status = 504, message = "504 Gateway Timeout: Registered endpoint did not respond in time.";
      break;
    default:
      break;
  }
  ErrorResponse r;
  r.status = status;
  r.reason = reason_phrase(status);
  r.headers.push_back({std::string(kXCfRouterError),
                       fmt::format("endpoint_failure ({})", failure_text(failure, address))});
  r.headers.push_back({std::string(kContentType), "text/plain; charset=utf-8"});
  r.headers.push_back({std::string(kContentTypeOptions), "nosniff"});
  r.body = fmt::format("{}\n", message);
  return r;
}

}  // namespace cupola::router::rules
