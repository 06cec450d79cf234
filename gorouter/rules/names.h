#pragma once

// Header names the router reads and writes, spelt as gorouter puts them on the wire (Go
// writes every name it sets in its canonical form: "X-Cf-Applicationid", not
// "X-CF-ApplicationID"). Lookups are case-insensitive, so these also find any other spelling.

#include <string_view>

namespace cupola::router::rules {

inline constexpr std::string_view kHost = "Host";
inline constexpr std::string_view kConnection = "Connection";
inline constexpr std::string_view kUpgrade = "Upgrade";
inline constexpr std::string_view kTe = "Te";
inline constexpr std::string_view kExpect = "Expect";
inline constexpr std::string_view kCookie = "Cookie";
inline constexpr std::string_view kSetCookie = "Set-Cookie";
inline constexpr std::string_view kAuthorization = "Authorization";
inline constexpr std::string_view kWwwAuthenticate = "Www-Authenticate";
inline constexpr std::string_view kContentType = "Content-Type";
inline constexpr std::string_view kCacheControl = "Cache-Control";
inline constexpr std::string_view kContentTypeOptions = "X-Content-Type-Options";
inline constexpr std::string_view kReferer = "Referer";
inline constexpr std::string_view kUserAgent = "User-Agent";

inline constexpr std::string_view kXForwardedFor = "X-Forwarded-For";
inline constexpr std::string_view kXForwardedProto = "X-Forwarded-Proto";
inline constexpr std::string_view kXForwardedClientCert = "X-Forwarded-Client-Cert";
inline constexpr std::string_view kXRequestStart = "X-Request-Start";
inline constexpr std::string_view kXVcapRequestId = "X-Vcap-Request-Id";
inline constexpr std::string_view kXCfApplicationId = "X-Cf-Applicationid";
inline constexpr std::string_view kXCfInstanceId = "X-Cf-Instanceid";
inline constexpr std::string_view kXCfInstanceIndex = "X-Cf-Instanceindex";
inline constexpr std::string_view kXCfAppInstance = "X-Cf-App-Instance";
inline constexpr std::string_view kXCfProcessInstance = "X-Cf-Process-Instance";
inline constexpr std::string_view kXCfRouterError = "X-Cf-Routererror";
inline constexpr std::string_view kXCfProxySignature = "X-Cf-Proxy-Signature";
inline constexpr std::string_view kXVcapTrace = "X-Vcap-Trace";
inline constexpr std::string_view kXVcapRouter = "X-Vcap-Router";
inline constexpr std::string_view kXVcapBackend = "X-Vcap-Backend";
inline constexpr std::string_view kXCfRouteEndpoint = "X-Cf-Routeendpoint";
inline constexpr std::string_view kIdempotencyKey = "Idempotency-Key";
inline constexpr std::string_view kXIdempotencyKey = "X-Idempotency-Key";

// Zipkin B3 propagation.
inline constexpr std::string_view kB3TraceId = "X-B3-Traceid";
inline constexpr std::string_view kB3SpanId = "X-B3-Spanid";
inline constexpr std::string_view kB3ParentSpanId = "X-B3-Parentspanid";
inline constexpr std::string_view kB3Sampled = "X-B3-Sampled";
inline constexpr std::string_view kB3Flags = "X-B3-Flags";
inline constexpr std::string_view kB3 = "B3";

// W3C trace context.
inline constexpr std::string_view kTraceparent = "Traceparent";
inline constexpr std::string_view kTracestate = "Tracestate";

// The sticky-session cookie naming the instance that served the session.
inline constexpr std::string_view kVcapIdCookie = "__VCAP_ID__";

}  // namespace cupola::router::rules
