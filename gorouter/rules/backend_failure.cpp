#include "gorouter/rules/backend_failure.h"

#include <fmt/format.h>

namespace cupola::router::rules {

bool is_retriable_kind(BackendFailure kind) noexcept {
  switch (kind) {
    case BackendFailure::ConnectRefused:
    case BackendFailure::ConnectTimeout:
    case BackendFailure::DnsLookup:
    case BackendFailure::TlsNotTlsBackend:
    case BackendFailure::TlsHostnameMismatch:
    case BackendFailure::TlsUntrustedCertificate:
    case BackendFailure::TlsExpiredCertificate:
    case BackendFailure::TlsCertificateRejected:
    case BackendFailure::TlsHandshakeFailure:
    case BackendFailure::TlsHandshakeTimeout:
      return true;
    case BackendFailure::WriteFailed:
    case BackendFailure::ConnectionResetOnRead:
    case BackendFailure::ConnectionClosed:
    case BackendFailure::ResponseTimeout:
    case BackendFailure::ClientCancelled:
    case BackendFailure::TooManyResponseHeaders:
    case BackendFailure::NoEndpointsAvailable:
      return false;
  }
  return false;
}

bool marks_endpoint_failed(BackendFailure kind) noexcept {
  return is_retriable_kind(kind) || kind == BackendFailure::ConnectionResetOnRead;
}

bool prunes_tls_endpoint(BackendFailure kind) noexcept { return is_retriable_kind(kind); }

std::string failure_text(const AttemptFailure& failure, std::string_view address) {
  if (!failure.detail.empty()) return failure.detail;
  switch (failure.kind) {
    case BackendFailure::ConnectRefused:
      return fmt::format("dial tcp {}: connect: connection refused", address);
    case BackendFailure::ConnectTimeout:
      return fmt::format("dial tcp {}: i/o timeout", address);
    case BackendFailure::DnsLookup:
      return fmt::format("dial tcp: lookup {}: no such host",
                         address.substr(0, address.rfind(':')));
    case BackendFailure::TlsNotTlsBackend:
      return "tls: first record does not look like a TLS handshake";
    case BackendFailure::TlsHostnameMismatch:
      return "tls: failed to verify certificate: x509: certificate is not valid for the "
             "endpoint's name";
    case BackendFailure::TlsUntrustedCertificate:
      return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
    case BackendFailure::TlsExpiredCertificate:
      return "tls: failed to verify certificate: x509: certificate has expired or is not yet "
             "valid";
    case BackendFailure::TlsCertificateRejected:
      return "remote error: tls: bad certificate";
    case BackendFailure::TlsHandshakeFailure:
      return "remote error: tls: handshake failure";
    case BackendFailure::TlsHandshakeTimeout:
      return "net/http: TLS handshake timeout";
    case BackendFailure::WriteFailed:
      return fmt::format("write tcp {}: write: broken pipe", address);
    case BackendFailure::ConnectionResetOnRead:
      return fmt::format("read tcp {}: read: connection reset by peer", address);
    case BackendFailure::ConnectionClosed:
      return "EOF";
    case BackendFailure::ResponseTimeout:
      return "context deadline exceeded";
    case BackendFailure::ClientCancelled:
      return "context canceled";
    case BackendFailure::TooManyResponseHeaders:
      return "Too many response headers";
    case BackendFailure::NoEndpointsAvailable:
      return "No endpoints available";
  }
  return "unknown failure";
}

}  // namespace cupola::router::rules
