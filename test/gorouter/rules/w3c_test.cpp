// W3C trace context: continue a valid traceparent, create one otherwise.
#include <catch2/catch.hpp>

#include "fixtures.h"
#include "gorouter/rules/names.h"
#include "gorouter/rules/request_rules.h"
#include "gorouter/rules/w3c.h"

namespace cupola::router::rules {
namespace {

using namespace testing;

constexpr const char* kIncoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

RequestRuleOptions w3c_on(std::string tenant = "") {
  RequestRuleOptions o;
  o.tracing.enable_w3c = true;
  o.tracing.w3c_tenant_id = std::move(tenant);
  return o;
}

PreparedRequest prepare(HeaderList headers, const RequestRuleOptions& options) {
  return prepare_request(client_request(std::move(headers)), fresh_ids(), options);
}

TEST_CASE("parse_traceparent reads version, trace, parent and flags", "[router][rules][w3c]") {
  SECTION("when the value is valid") {
    auto tp = parse_traceparent(kIncoming);
    REQUIRE(tp);
    CHECK(tp->version == 0);
    CHECK(tp->trace_id == "0af7651916cd43dd8448eb211c80319c");
    CHECK(tp->parent_id == "b7ad6b7169203331");
    CHECK(tp->flags == 1);
    CHECK(tp->str() == kIncoming);
  }
  SECTION("when it is upper-case with white space around it") {
    auto tp = parse_traceparent(" 00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-00\t");
    REQUIRE(tp);
    CHECK(tp->str() == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
  }
  SECTION("when it is malformed") {
    CHECK_FALSE(parse_traceparent(""));
    CHECK_FALSE(parse_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331"));
    CHECK_FALSE(parse_traceparent("00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01"));
    CHECK_FALSE(parse_traceparent("00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01"));
  }
}

TEST_CASE("tracestate puts the router's entry first", "[router][rules][w3c]") {
  SECTION("when other vendors' entries are present") {
    const auto entries = parse_tracestate("congo=t61rcWkgMzE, gorouter=old ,rojo=00f067aa,bad");
    CHECK(entries == std::vector<TracestateEntry>{
                         {"congo", "t61rcWkgMzE"}, {"gorouter", "old"}, {"rojo", "00f067aa"}});
    CHECK(next_tracestate(entries, "", "a1b2c3d4e5f60718") ==
          "gorouter=a1b2c3d4e5f60718,congo=t61rcWkgMzE,rojo=00f067aa");
  }
  SECTION("when a tenant is configured") {
    CHECK(tracestate_key("tenant") == "tenant@gorouter");
    CHECK(next_tracestate(parse_tracestate("gorouter=x"), "tenant", "ab") ==
          "tenant@gorouter=ab,gorouter=x");
  }
  SECTION("when the header is longer than 2048 bytes it is dropped") {
    const std::string huge = "a=" + std::string(2047, 'b');
    CHECK(parse_tracestate(huge).empty());
  }
}

TEST_CASE("the w3c rule creates a traceparent from the request's trace", "[router][rules][w3c]") {
  SECTION("when the request has none") {
    const PreparedRequest p = prepare({}, w3c_on());
    CHECK(header_value(p.headers, kTraceparent) ==
          std::string("00-") + kFreshTraceId + "-" + kFreshSpanId + "-01");
    CHECK(header_value(p.headers, kTracestate) == std::string("gorouter=") + kFreshSpanId);
    CHECK(header_value(p.headers, kXVcapRequestId) == kRequestId);
  }
  SECTION("when the request's traceparent is malformed, with a tenant") {
    const PreparedRequest p =
        prepare({{"traceparent", "00-zz-zz-01"}, {"tracestate", "congo=1"}}, w3c_on("acme"));
    CHECK(header_value(p.headers, kTraceparent) ==
          std::string("00-") + kFreshTraceId + "-" + kFreshSpanId + "-01");
    CHECK(header_value(p.headers, kTracestate) == std::string("acme@gorouter=") + kFreshSpanId);
  }
}

TEST_CASE("the w3c rule continues a valid traceparent", "[router][rules][w3c]") {
  const HeaderList incoming = {{"traceparent", kIncoming},
                               {"tracestate", "congo=t61rcWkgMzE,gorouter=old"}};
  SECTION("when B3 is off, the request joins the incoming trace") {
    const PreparedRequest p = prepare(incoming, w3c_on());
    CHECK(header_value(p.headers, kTraceparent) ==
          "00-0af7651916cd43dd8448eb211c80319c-a1b2c3d4e5f60718-01");
    CHECK(header_value(p.headers, kTracestate) == "gorouter=a1b2c3d4e5f60718,congo=t61rcWkgMzE");
    CHECK(header_value(p.headers, kXVcapRequestId) == "0af76519-16cd-43dd-8448-eb211c80319c");
    CHECK(p.trace.trace_id == "0af7651916cd43dd8448eb211c80319c");
    CHECK(p.trace.span_id == kParentId);
  }
  SECTION("when B3 already started a trace, the traceparent keeps its own trace id") {
    RequestRuleOptions o = w3c_on();
    o.tracing.enable_zipkin = true;
    const PreparedRequest p = prepare(incoming, o);
    CHECK(header_value(p.headers, kTraceparent) ==
          "00-0af7651916cd43dd8448eb211c80319c-a1b2c3d4e5f60718-01");
    CHECK(header_value(p.headers, kB3TraceId) == kFreshTraceId);
    CHECK(header_value(p.headers, kXVcapRequestId) == kRequestId);
  }
  SECTION("when the flags say not sampled, they are kept") {
    const PreparedRequest p = prepare(
        {{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"}}, w3c_on());
    CHECK(header_value(p.headers, kTraceparent) ==
          "00-0af7651916cd43dd8448eb211c80319c-a1b2c3d4e5f60718-00");
    CHECK(header_value(p.headers, kTracestate) == "gorouter=a1b2c3d4e5f60718");
  }
}

TEST_CASE("with w3c off, trace context passes untouched", "[router][rules][w3c]") {
  const PreparedRequest p = prepare({{"traceparent", "garbage"}}, RequestRuleOptions{});
  CHECK(header_value(p.headers, kTraceparent) == "garbage");
  CHECK_FALSE(has_header(p.headers, kTracestate));
}

}  // namespace
}  // namespace cupola::router::rules
