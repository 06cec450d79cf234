// Access log lines in gorouter's format.
#include <catch2/catch.hpp>

#include <chrono>

#include "fixtures.h"
#include "gorouter/rules/access_log.h"

namespace cupola::router::rules {
namespace {

using namespace std::chrono;
using namespace testing;

const TimePoint kReceived =
    TimePoint{sys_days{year{2026} / 11 / 25} + 18h + 53min + 6s} + nanoseconds{123456789};

AccessLogRecord routed_request() {
  AccessLogRecord r;
  r.host = "app.example.com";
  r.received_at = kReceived;
  r.method = "GET";
  r.request_uri = "/v2/info?x=1";
  r.protocol = "HTTP/1.1";
  r.status = 200;
  r.request_bytes_received = 30;
  r.body_bytes_sent = 23;
  r.headers = {{"Host", "app.example.com"},    {"Referer", "https://example.com/"},
               {"User-Agent", "curl/8.5.0"},   {"X-Forwarded-For", "198.51.100.1, 203.0.113.7"},
               {"X-Forwarded-Proto", "https"}, {"X-Vcap-Request-Id", kRequestId}};
  r.remote_addr = "203.0.113.7:52113";
  r.endpoint = endpoint();
  r.finished_at = kReceived + 60s;
  r.app_request_started_at = kReceived + 5s;
  r.app_request_finished_at = kReceived + 55s;
  return r;
}

const std::string kRoutedLine =
    "app.example.com - [2026-11-25T18:53:06.123456789Z] \"GET /v2/info?x=1 HTTP/1.1\" 200 30 23 "
    "\"https://example.com/\" \"curl/8.5.0\" \"203.0.113.7:52113\" \"10.0.16.4:61001\" "
    "x_forwarded_for:\"198.51.100.1, 203.0.113.7\" x_forwarded_proto:\"https\" "
    "vcap_request_id:\"6ba7b810-9dad-41d1-80b4-00c04fd430c8\" response_time:60.000000 "
    "gorouter_time:10.000000 app_id:\"5f1a3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b\" app_index:\"2\" "
    "instance_id:\"e8f1c0de-2a3b-4c5d-8e9f-0a1b2c3d4e5f\" x_cf_routererror:\"-\"";

TEST_CASE("a routed request's line has every field in order", "[router][rules][access_log]") {
  CHECK(format_access_log(routed_request(), {}) == kRoutedLine);
}

TEST_CASE("an unrouted request's line has dashes", "[router][rules][access_log]") {
  AccessLogRecord r;
  r.host = "nope.example.com";
  r.received_at = kReceived;
  r.method = "POST";
  r.request_uri = "/";
  r.protocol = "HTTP/1.0";
  r.status = 404;
  r.body_bytes_sent = 69;
  r.headers = {{"X-Vcap-Request-Id", kRequestId}};
  r.remote_addr = "[2001:db8::7]:52113";
  r.router_error = "unknown_route";
  r.finished_at = kReceived + 1500us;
  CHECK(format_access_log(r, {}) ==
        "nope.example.com - [2026-11-25T18:53:06.123456789Z] \"POST / HTTP/1.0\" 404 0 69 \"-\" "
        "\"-\" \"[2001:db8::7]:52113\" \"-\" x_forwarded_for:\"-\" x_forwarded_proto:\"-\" "
        "vcap_request_id:\"6ba7b810-9dad-41d1-80b4-00c04fd430c8\" response_time:0.001500 "
        "gorouter_time:0.000000 app_id:\"-\" app_index:\"-\" instance_id:\"-\" "
        "x_cf_routererror:\"unknown_route\"");
  SECTION("when no status was written") {
    r.status = 0;
    CHECK(format_access_log(r, {}).find("\"POST / HTTP/1.0\" \"-\" 0 69 ") != std::string::npos);
  }
}

TEST_CASE("gorouter_time is the router's share of the response time",
          "[router][rules][access_log]") {
  AccessLogRecord r = routed_request();
  SECTION("when the backend was never reached") {
    r.app_request_started_at.reset();
    r.app_request_finished_at.reset();
    CHECK(format_access_log(r, {}).find(" gorouter_time:0.000000 ") != std::string::npos);
  }
  SECTION("when a span runs backwards") {
    r.app_request_finished_at = kReceived + 1s;
    r.app_request_started_at = kReceived + 2s;
    CHECK(format_access_log(r, {}).find(" gorouter_time:\"-\" ") != std::string::npos);
  }
}

TEST_CASE("values are quoted and escaped, never written raw", "[router][rules][access_log]") {
  AccessLogRecord r = routed_request();
  r.headers[2].value = "evil\n\"agent\"\\\x01";
  r.host = "app.example.com\r\nX";
  const std::string line = format_access_log(r, {});
  CHECK(line.find(R"("evil\n\"agent\"\\\x01")") != std::string::npos);
  CHECK(line.starts_with(R"(app.example.com\x0d\x0aX - [)"));
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\r') == std::string::npos);
}

TEST_CASE("access log options", "[router][rules][access_log]") {
  AccessLogOptions o;
  SECTION("when the client address and X-Forwarded-For are not to be logged") {
    o.disable_log_source_ip = true;
    o.disable_log_forwarded_for = true;
    const std::string line = format_access_log(routed_request(), o);
    CHECK(line.find("\"curl/8.5.0\" \"-\" \"10.0.16.4:61001\" x_forwarded_for:\"-\" ") !=
          std::string::npos);
  }
  SECTION("when GET queries are redacted") {
    o.redact_query_params = RedactQueryParams::All;
    CHECK(format_access_log(routed_request(), o).find("\"GET /v2/info HTTP/1.1\"") !=
          std::string::npos);
    AccessLogRecord post = routed_request();
    post.method = "POST";
    CHECK(format_access_log(post, o).find("\"POST /v2/info?x=1 HTTP/1.1\"") != std::string::npos);
  }
}

TEST_CASE("extra headers follow x_cf_routererror", "[router][rules][access_log]") {
  AccessLogOptions o;
  o.extra_headers_to_log = {"Cache-Control", "X-B3-TraceId"};
  o.tracing.enable_zipkin = true;
  o.tracing.enable_w3c = true;
  CHECK(headers_to_log(o) ==
        std::vector<std::string>{"Cache-Control", "X-B3-TraceId", "x-b3-traceid", "x-b3-spanid",
                                 "x-b3-parentspanid", "b3", "traceparent", "tracestate"});
  o.extra_headers_to_log = {"x-b3-traceid"};
  o.tracing.enable_w3c = false;
  AccessLogRecord r = routed_request();
  r.headers.push_back({"X-B3-Traceid", kFreshTraceId});
  r.headers.push_back({"X-B3-Spanid", kFreshSpanId});
  r.headers.push_back({"B3", std::string(kFreshTraceId) + "-" + kFreshSpanId});
  CHECK(format_access_log(r, o) == kRoutedLine +
                                       " x_b3_traceid:\"6ba7b8109dad41d180b400c04fd430c8\" "
                                       "x_b3_spanid:\"80b400c04fd430c8\" x_b3_parentspanid:\"-\" "
                                       "b3:\"6ba7b8109dad41d180b400c04fd430c8-80b400c04fd430c8\"");
}

TEST_CASE("the app log copy is truncated to fit a datagram", "[router][rules][access_log]") {
  SECTION("when the user agent is too long") {
    AccessLogRecord r = routed_request();
    r.headers[2].value = std::string(5000, 'u');
    const std::string marker = "...USER-AGENT-TOO-LONG-TO-LOG--TRUNCATED";
    CHECK(format_access_log(r, {}, true).find(" \"" + std::string(655, 'u') + marker + "\" ") !=
          std::string::npos);
    CHECK(format_access_log(r, {}, false).find(std::string(5000, 'u')) != std::string::npos);
  }
  SECTION("when the URI is too long") {
    AccessLogRecord r = routed_request();
    r.request_uri = "/" + std::string(30'000, 'p');
    const std::string line = format_access_log(r, {}, true);
    CHECK(line.find("...REQUEST-URI-TOO-LONG-TO-LOG--TRUNCATED HTTP/1.1\"") != std::string::npos);
    CHECK(line.size() < 21'000);
  }
  SECTION("when the extra headers are too long together") {
    AccessLogRecord r = routed_request();
    AccessLogOptions o;
    o.extra_headers_to_log = {"X-A", "X-B", "X-C"};
    r.headers.push_back({"X-A", std::string(9000, 'a')});
    r.headers.push_back({"X-B", std::string(9000, 'b')});
    r.headers.push_back({"X-C", std::string(9000, 'c')});
    CHECK(format_access_log(r, o, true) ==
          kRoutedLine + " x_a:\"" + std::string(9000, 'a') + "\" x_b:\"" + std::string(9000, 'b') +
              "\" ...EXTRA-REQUEST-HEADERS-TOO-LONG-TO-LOG--TRUNCATED");
  }
}

}  // namespace
}  // namespace cupola::router::rules
