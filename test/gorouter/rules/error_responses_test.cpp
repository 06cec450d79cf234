// The router's own error responses, worded as gorouter words them.
#include <catch2/catch.hpp>

#include "gorouter/rules/error_responses.h"

namespace cupola::router::rules {
namespace {

HeaderList written(std::string_view router_error, std::string_view cache_control) {
  HeaderList h = {{"X-Cf-Routererror", std::string(router_error)}};
  if (!cache_control.empty()) h.push_back({"Cache-Control", std::string(cache_control)});
  h.push_back({"Content-Type", "text/plain; charset=utf-8"});
  h.push_back({"X-Content-Type-Options", "nosniff"});
  return h;
}

TEST_CASE("lookup failures", "[router][rules][errors]") {
  SECTION("when the route is unknown") {
    const ErrorResponse r = unknown_route("app.example.com");
    CHECK(r.status == 404);
    CHECK(r.reason == "Not Found");
    CHECK(r.headers == written("unknown_route", "no-cache, no-store"));
    CHECK(r.body == "404 Not Found: Requested route ('app.example.com') does not exist.\n");
    CHECK_FALSE(r.close_connection);
  }
  SECTION("when the route has no endpoints") {
    const ErrorResponse r = no_endpoints("app.example.com:8080");
    CHECK(r.status == 503);
    CHECK(r.headers == written("no_endpoints", "public,max-age=2"));
    CHECK(r.body ==
          "503 Service Unavailable: Requested route ('app.example.com:8080') has no available "
          "endpoints.\n");
  }
  SECTION("when empty_pool_response_code_503 is off, an empty pool is unknown") {
    CHECK(empty_pool("a.io").status == 503);
    CHECK(empty_pool("a.io", false).body == unknown_route("a.io").body);
  }
  SECTION("when every endpoint is at its connection limit") {
    const ErrorResponse r = connection_limit_reached("app.example.com");
    CHECK(r.status == 503);
    CHECK(r.headers == written("Connection Limit Reached", ""));
    CHECK(r.body ==
          "503 Service Unavailable: Requested route ('app.example.com') has reached the "
          "connection limit.\n");
  }
  SECTION("when Host is empty") {
    const ErrorResponse r = empty_host();
    CHECK(r.status == 400);
    CHECK(r.headers == written("empty_host", "public,max-age=2"));
    CHECK(r.body == "400 Bad Request: Request had empty Host header\n");
  }
}

TEST_CASE("instance-addressing failures", "[router][rules][errors]") {
  SECTION("when X-Cf-App-Instance is malformed") {
    const ErrorResponse r = invalid_app_instance_header();
    CHECK(r.status == 400);
    CHECK(r.headers == written("invalid_cf_app_instance_header", "no-cache, no-store"));
    CHECK(r.body == "400 Bad Request: Invalid X-CF-App-Instance Header\n");
  }
  SECTION("when X-Cf-Process-Instance is malformed") {
    const ErrorResponse r = invalid_process_instance_header();
    CHECK(r.headers == written("invalid_cf_process_instance_header", "no-cache, no-store"));
    CHECK(r.body == "400 Bad Request: Invalid X-CF-Process-Instance Header\n");
  }
  SECTION("when the addressed app instance does not exist") {
    const ErrorResponse r =
        unknown_app_instance("a.io", "5f1a3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b", "3");
    CHECK(r.status == 400);
    CHECK(r.headers == written("unknown_route", "no-cache, no-store"));
    CHECK(r.body ==
          "400 Bad Request: Requested instance ('3') with guid "
          "('5f1a3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b') does not exist for route ('a.io')\n");
  }
  SECTION("when the addressed process instance does not exist") {
    CHECK(unknown_process_instance("a.io", "p-guid", "1").body ==
          "400 Bad Request: Requested instance ('1') with process guid ('p-guid') does not exist "
          "for route ('a.io')\n");
    CHECK(unknown_process_instance("a.io", "p-guid", "").body ==
          "400 Bad Request: Requested instance with process guid ('p-guid') does not exist for "
          "route ('a.io')\n");
  }
}

TEST_CASE("refused requests", "[router][rules][errors]") {
  SECTION("when the request head is too large") {
    const ErrorResponse r = request_headers_too_large();
    CHECK(r.status == 431);
    CHECK(r.reason == "Request Header Fields Too Large");
    CHECK(r.headers == HeaderList{{"X-Cf-Routererror", "max-request-size-exceeded"}});
    CHECK(r.body.empty());
    CHECK(r.close_connection);
  }
  SECTION("when the client stops sending its body") {
    const ErrorResponse r = request_timeout();
    CHECK(r.status == 408);
    CHECK(r.reason == "Request Timeout");
    CHECK(r.headers.front() == Header{"X-Cf-Routererror", "request_timeout"});
    CHECK(r.body ==
          "408 Request Timeout: The request body did not arrive in time; send it again.\n");
    CHECK(r.close_connection);
  }
  SECTION("when the protocol is not served") {
    const ErrorResponse r = unsupported_protocol();
    CHECK(r.status == 400);
    CHECK(r.bare_http10);
    CHECK(r.close_connection);
    CHECK(r.headers.empty());
  }
}

TEST_CASE("backend failures", "[router][rules][errors]") {
  auto check = [](BackendFailure kind, int status, std::string_view reason, std::string_view body,
                  std::string_view router_error) {
    const ErrorResponse r = endpoint_failure({kind, false, ""}, "10.0.16.4:61001");
    CHECK(r.status == status);
    CHECK(r.reason == reason);
    CHECK(r.body == body);
    CHECK(r.headers == HeaderList{{"X-Cf-Routererror", std::string(router_error)},
                                  {"Content-Type", "text/plain; charset=utf-8"},
                                  {"X-Content-Type-Options", "nosniff"}});
  };
  SECTION("when the backend refused the connection") {
    check(BackendFailure::ConnectRefused, 502, "Bad Gateway",
          "502 Bad Gateway: Registered endpoint failed to handle the request.\n",
          "endpoint_failure (dial tcp 10.0.16.4:61001: connect: connection refused)");
  }
  SECTION("when it did not answer in time") {
    check(BackendFailure::ResponseTimeout, 504, "Gateway Timeout",
          "504 Gateway Timeout: Registered endpoint did not respond in time.\n",
          "endpoint_failure (context deadline exceeded)");
  }
  SECTION("when it answered TLS in plain text") {
    check(BackendFailure::TlsNotTlsBackend, 525, "status code 525", "525 SSL Handshake Failed\n",
          "endpoint_failure (tls: first record does not look like a TLS handshake)");
  }
  SECTION("when its certificate is for another name") {
    CHECK(endpoint_failure({BackendFailure::TlsHostnameMismatch, false, ""}, "").body ==
          "503 Service Unavailable\n");
  }
  SECTION("when its certificate is untrusted or expired") {
    CHECK(endpoint_failure({BackendFailure::TlsUntrustedCertificate, false, ""}, "").status == 526);
    check(BackendFailure::TlsExpiredCertificate, 526, "status code 526",
          "526 Invalid SSL Certificate\n",
          "endpoint_failure (tls: failed to verify certificate: x509: certificate has expired or "
          "is not yet valid)");
  }
  SECTION("when it refused the router's certificate") {
    check(BackendFailure::TlsCertificateRejected, 496, "status code 496",
          "496 SSL Certificate Required\n",
          "endpoint_failure (remote error: tls: bad certificate)");
  }
  SECTION("when it aborted the handshake") {
    CHECK(endpoint_failure({BackendFailure::TlsHandshakeFailure, false, ""}, "").status == 525);
  }
  SECTION("when the client went away") {
    check(BackendFailure::ClientCancelled, 499, "status code 499", "499 Request Cancelled\n",
          "endpoint_failure (context canceled)");
  }
  SECTION("when no endpoint was left to try") {
    check(BackendFailure::NoEndpointsAvailable, 502, "Bad Gateway",
          "502 Bad Gateway: Registered endpoint failed to handle the request.\n",
          "endpoint_failure (No endpoints available)");
  }
  SECTION("when the caller has the exact error text") {
    const ErrorResponse r = endpoint_failure(
        {BackendFailure::ConnectionResetOnRead, true,
         "read tcp 10.0.1.10:40312->10.0.16.4:61001: read: connection reset by peer"},
        "10.0.16.4:61001");
    CHECK(r.headers.front().value ==
          "endpoint_failure (read tcp 10.0.1.10:40312->10.0.16.4:61001: read: connection reset "
          "by peer)");
  }
}

}  // namespace
}  // namespace cupola::router::rules
