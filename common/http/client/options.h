#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace cupola::http {

struct TlsOptions {
  // Check the server's certificate chain and that it names the URL's host. Turn off only
  // for local development against self-signed servers.
  bool verify_peer = true;
  // PEM file of trusted CA certificates; empty: the system's default store.
  std::string ca_file;
};

struct ClientOptions {
  // Opening a TCP connection. Name lookup is not bounded: use addresses or a fast resolver.
  std::chrono::milliseconds connect_timeout{5'000};
  // A whole request (connect, TLS handshake, send, receive) unless ClientRequest::timeout is set.
  std::chrono::milliseconds request_timeout{30'000};
  // A pooled connection unused this long is closed.
  std::chrono::milliseconds idle_timeout{90'000};
  // Idle connections kept per origin; more are closed as they come back.
  std::size_t max_idle_per_host = 8;
  // A response body larger than this fails with Errc::LimitExceeded.
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  std::string user_agent = "cupola-http-client";
  TlsOptions tls;
};

}  // namespace cupola::http
