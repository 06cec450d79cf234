#pragma once

// What the request rules read and the state they rewrite (see request_rules.h for the list).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gorouter/rules/header_list.h"
#include "gorouter/rules/trace_info.h"

namespace cupola::router::rules {

// What happens to X-Forwarded-Client-Cert (gorouter's forwarded_client_cert).
enum class ForwardedClientCert {
  // Passed through as the client sent it (the default).
  AlwaysForward,
  // Passed through only when the client presented a certificate over TLS; else removed.
  Forward,
  // Always replaced: by the client's certificate when it presented one over TLS, else removed.
  SanitizeSet,
};

// The router's tracing settings; both propagations are off by default, as in gorouter.
struct TracingOptions {
  bool enable_zipkin = false;
  bool enable_w3c = false;
  // When set, the router's tracestate key is "<tenant>@gorouter".
  std::string w3c_tenant_id;
};

// Settings of the request rules, with gorouter's defaults.
struct RequestRuleOptions {
  // X-Forwarded-Proto is always "https".
  bool force_forwarded_proto_https = false;
  // X-Forwarded-Proto is always the client connection's scheme, ignoring the client's value.
  bool sanitize_forwarded_proto = false;
  // Names taken out of the client's Connection header, so those headers reach the backend
  // instead of being dropped as hop-by-hop.
  std::vector<std::string> hop_by_hop_headers_to_filter;
  ForwardedClientCert forwarded_client_cert = ForwardedClientCert::AlwaysForward;
  // When false, a request with "Expect: 100-continue" is sent with "Connection: close".
  bool keep_alive_100_continue_requests = false;
  TracingOptions tracing;
};

// The client's request as the router received it.
struct ClientRequest {
  // Every header line, Host included, in order.
  HeaderList headers;
  // The client's address, "ip:port" or "[ipv6]:port".
  std::string remote_addr;
  // Whether the client connection is TLS.
  bool tls = false;
  // The client's leaf certificate, DER in standard base64 without line breaks, when it
  // presented one over TLS.
  std::optional<std::string> client_cert_base64;
  // When the router received the request, in milliseconds since the Unix epoch.
  std::int64_t start_ms = 0;
};

// One request passing through the rules: the inputs, and the headers and trace being built.
struct RequestRuleContext {
  const ClientRequest& client;
  const FreshIds& ids;
  const RequestRuleOptions& options;
  HeaderList headers;
  TraceInfo trace;
};

}  // namespace cupola::router::rules
