#pragma once

// Why an attempt to reach a backend failed, sorted into gorouter's classes: which failures are
// safe to retry (the request cannot have reached the app), which make the endpoint ineligible
// for a while, and which remove a TLS endpoint from its pool outright.

#include <string>
#include <string_view>

namespace cupola::router::rules {

enum class BackendFailure {
  // Dialling failed: nothing reached the backend.
  ConnectRefused,
  ConnectTimeout,
  DnsLookup,
  // The TLS handshake with the backend failed.
  TlsNotTlsBackend,         // it answered in plain text
  TlsHostnameMismatch,      // its certificate is not for the endpoint's name
  TlsUntrustedCertificate,  // signed by an authority the router does not trust
  TlsExpiredCertificate,    // expired or not yet valid
  TlsCertificateRejected,   // it rejected the router's client certificate
  TlsHandshakeFailure,      // it aborted the handshake
  TlsHandshakeTimeout,
  // The connection failed after it was established.
  WriteFailed,            // writing the request failed
  ConnectionResetOnRead,  // reset while the router waited for the response
  ConnectionClosed,       // closed without a response (EOF)
  ResponseTimeout,        // no response within endpoint_timeout
  // Not the backend's doing.
  ClientCancelled,         // the client went away
  TooManyResponseHeaders,  // more response header lines than max_response_headers
  NoEndpointsAvailable,    // the pool offered no endpoint to try
};

struct AttemptFailure {
  BackendFailure kind = BackendFailure::ConnectRefused;
  // Whether a connection was obtained and the whole request head written to it. Until then
  // the app cannot have seen the request.
  bool request_head_written = false;
  // The error text to report ("dial tcp 10.0.0.1:8080: connect: connection refused"); when
  // empty, failure_text() supplies one.
  std::string detail;
};

// Dial and TLS failures: retriable whenever they happen (gorouter's RetriableClassifiers,
// less the two conditions that depend on the request, see is_retriable).
bool is_retriable_kind(BackendFailure kind) noexcept;

// Failures that make the endpoint ineligible for a while (FailableClassifiers): the retriable
// kinds and a reset while reading the response.
bool marks_endpoint_failed(BackendFailure kind) noexcept;

// Failures that remove a TLS endpoint from its pool (PrunableClassifiers): the retriable kinds.
bool prunes_tls_endpoint(BackendFailure kind) noexcept;

// The error text gorouter's Go runtime reports for `failure` against `address`, or
// failure.detail when set.
std::string failure_text(const AttemptFailure& failure, std::string_view address);

}  // namespace cupola::router::rules
