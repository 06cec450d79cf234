#pragma once

// One access log line in gorouter's format:
//
//   <host> - [<received at>] "<method> <uri> <proto>" <status> <bytes received> <bytes sent>
//   "<referer>" "<user agent>" "<client addr>" "<backend addr>" x_forwarded_for:"..."
//   x_forwarded_proto:"..." vcap_request_id:"..." response_time:<s> gorouter_time:<s>
//   app_id:"..." app_index:"..." instance_id:"..." x_cf_routererror:"..." [<extra headers>]
//
// (one line; wrapped here). The time is UTC with nanoseconds ("2000-01-01T00:00:00.000000000Z");
// strings are quoted as Go quotes them (see go_quote.h), and an empty one is written "-" in
// quotes; a status of 0 is "-" too. Times are seconds with six decimals, a negative one "-".
// Extra headers follow as `name:"value"` with the name lower-cased and '-' turned into '_':
// extra_headers_to_log, then with Zipkin on x_b3_traceid, x_b3_spanid, x_b3_parentspanid and
// b3, then with W3C on traceparent and tracestate.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/core/time.h"
#include "gorouter/rules/endpoint.h"
#include "gorouter/rules/header_list.h"
#include "gorouter/rules/request_context.h"

namespace cupola::router::rules {

enum class RedactQueryParams {
  None,
  // The query of a GET request is left out.
  All,
};

struct AccessLogOptions {
  // Log "-" instead of X-Forwarded-For (logging.disable_log_forwarded_for).
  bool disable_log_forwarded_for = false;
  // Log "-" instead of the client address (logging.disable_log_source_ip).
  bool disable_log_source_ip = false;
  RedactQueryParams redact_query_params = RedactQueryParams::None;
  // Request headers to log after the fixed fields (router.extra_headers_to_log).
  std::vector<std::string> extra_headers_to_log;
  TracingOptions tracing;
};

struct AccessLogRecord {
  // The request's Host.
  std::string host;
  TimePoint received_at;
  std::string method;
  // The request target, path and query ("/p?q=1").
  std::string request_uri;
  // "HTTP/1.1".
  std::string protocol;
  // The status the client got; 0 when none was written.
  int status = 0;
  std::int64_t request_bytes_received = 0;
  std::int64_t body_bytes_sent = 0;
  // The request headers after the request rules (prepare_request), or as received when the
  // request never got that far.
  HeaderList headers;
  // The client's "ip:port".
  std::string remote_addr;
  // The endpoint of the last attempt, if any.
  std::optional<Endpoint> endpoint;
  // The response's X-Cf-Routererror, if any.
  std::string router_error;
  // When the response was finished.
  TimePoint finished_at;
  // When the router started sending to the backend and when that ended (response headers
  // received, or the last attempt failed); unset when no backend was tried.
  std::optional<TimePoint> app_request_started_at;
  std::optional<TimePoint> app_request_finished_at;
};

// The extra header names, in order and each once (as spelt; case-sensitive).
std::vector<std::string> headers_to_log(const AccessLogOptions& options);

// The line, without a line break. With `truncate` (the copy gorouter sends to the app's log
// stream, which must fit a UDP packet) the URI is cut to 20,000 bytes, the referer, user
// agent and X-Forwarded-* values to 1,000, and the extra headers to about 20,000 in all, each
// cut marked "...<NAME>-TOO-LONG-TO-LOG--TRUNCATED".
std::string format_access_log(const AccessLogRecord& record, const AccessLogOptions& options,
                              bool truncate = false);

}  // namespace cupola::router::rules
