// Zipkin B3 propagation: continue a valid trace, start one otherwise.
#include <catch2/catch.hpp>

#include "fixtures.h"
#include "gorouter/rules/b3.h"
#include "gorouter/rules/names.h"
#include "gorouter/rules/request_rules.h"

namespace cupola::router::rules {
namespace {

using namespace testing;

constexpr const char* kTrace128 = "80f198ee56343ba864fe8b2a57d3eff7";
constexpr const char* kSpan = "e457b5a2e4d86bd1";
constexpr const char* kParent = "05e3ac9a4f6e3b90";

RequestRuleOptions zipkin_on() {
  RequestRuleOptions o;
  o.tracing.enable_zipkin = true;
  return o;
}

PreparedRequest prepare(HeaderList headers, const RequestRuleOptions& options = zipkin_on()) {
  return prepare_request(client_request(std::move(headers)), fresh_ids(), options);
}

TEST_CASE("parse_b3_single reads gorouter's accepted forms", "[router][rules][b3]") {
  SECTION("when the trace id is 64 bits") {
    auto sc = parse_b3_single("80f198ee56343ba8-e457b5a2e4d86bd1-1");
    REQUIRE(sc);
    CHECK(sc->trace_id_hex() == "80f198ee56343ba8");
    CHECK(sc->span_id_hex() == kSpan);
    CHECK(sc->sampled == true);
    CHECK_FALSE(sc->parent_id);
  }
  SECTION("when the trace id is 128 bits with a parent") {
    auto sc = parse_b3_single(std::string(kTrace128) + "-" + kSpan + "-d-" + kParent);
    REQUIRE(sc);
    CHECK(sc->trace_id_hex() == kTrace128);
    CHECK(sc->debug);
    CHECK(sc->parent_id == 0x05e3ac9a4f6e3b90u);
  }
  SECTION("when only a sampling decision is sent") {
    auto sc = parse_b3_single("0");
    REQUIRE(sc);
    CHECK(sc->sampled == false);
  }
  SECTION("when the header is malformed") {
    CHECK_FALSE(parse_b3_single(""));
    CHECK_FALSE(parse_b3_single("80f198ee56343ba8"));
    CHECK_FALSE(parse_b3_single("80f198ee56343ba8-e457b5a2e4d86bd1-2"));
    CHECK_FALSE(parse_b3_single("80f198ee56343ba8-e457b5a2e4d86bd1-"));
    CHECK_FALSE(parse_b3_single("80f198ee56343ba8-e457b5a2e4d86bd1-1-05e3ac9a"));
    CHECK_FALSE(parse_b3_single("x0f198ee56343ba8-e457b5a2e4d86bd1"));
    CHECK_FALSE(parse_b3_single("nonsense"));
  }
}

TEST_CASE("parse_b3_headers needs trace and span together", "[router][rules][b3]") {
  SECTION("when the ids are short or upper-case") {
    auto sc = parse_b3_headers("ABC", "1", "", "true", "");
    REQUIRE(sc);
    CHECK(sc->trace_id_hex() == "0000000000000abc");
    CHECK(sc->span_id_hex() == "0000000000000001");
    CHECK(sc->sampled == true);
  }
  SECTION("when flags say debug") {
    auto sc = parse_b3_headers(kTrace128, kSpan, "", "1", "1");
    REQUIRE(sc);
    CHECK(sc->debug);
    CHECK_FALSE(sc->sampled);
  }
  SECTION("when a value is malformed") {
    CHECK_FALSE(parse_b3_headers(kTrace128, "", "", "", ""));
    CHECK_FALSE(parse_b3_headers(kTrace128, "zz", "", "", ""));
    CHECK_FALSE(parse_b3_headers(kTrace128, kSpan, "nope", "", ""));
    CHECK_FALSE(parse_b3_headers(kTrace128, kSpan, "", "yes", ""));
    CHECK_FALSE(parse_b3_headers("10000000000000000ffffffffffffffff", kSpan, "", "", ""));
  }
  SECTION("when the trace id has more than 16 digits, the rest is its high half") {
    auto sc = parse_b3_headers("1ffffffffffffffff", kSpan, "", "", "");
    REQUIRE(sc);
    CHECK(sc->trace_id_hex() == "0000000000000001ffffffffffffffff");
  }
}

TEST_CASE("build_b3_single orders trace, span, sampling and parent", "[router][rules][b3]") {
  B3Context sc;
  sc.trace_low = 0xabc;
  sc.span_id = 1;
  CHECK(build_b3_single(sc) == "0000000000000abc-0000000000000001");
  sc.sampled = false;
  sc.parent_id = 2;
  CHECK(build_b3_single(sc) == "0000000000000abc-0000000000000001-0-0000000000000002");
  sc.debug = true;
  CHECK(build_b3_single(sc) == "0000000000000abc-0000000000000001-d-0000000000000002");
}

TEST_CASE("the zipkin rule starts a trace when the request has none", "[router][rules][b3]") {
  const PreparedRequest p = prepare({});
  CHECK(header_value(p.headers, kB3TraceId) == kFreshTraceId);
  CHECK(header_value(p.headers, kB3SpanId) == kFreshSpanId);
  CHECK(header_value(p.headers, kB3) == std::string(kFreshTraceId) + "-" + kFreshSpanId);
  CHECK_FALSE(has_header(p.headers, kB3ParentSpanId));
  CHECK(header_value(p.headers, kXVcapRequestId) == kRequestId);
  CHECK(p.trace == TraceInfo{kFreshTraceId, kFreshSpanId, kRequestId});
}

TEST_CASE("the zipkin rule keeps a valid single b3 header", "[router][rules][b3]") {
  SECTION("when the trace id spells a UUID, it becomes the request id") {
    const std::string b3 = std::string(kTrace128) + "-" + kSpan + "-1";
    const PreparedRequest p = prepare({{"b3", b3}});
    CHECK(header_value(p.headers, kB3) == b3);
    CHECK_FALSE(has_header(p.headers, kB3TraceId));
    CHECK(header_value(p.headers, kXVcapRequestId) == "80f198ee-5634-3ba8-64fe-8b2a57d3eff7");
    CHECK(p.trace.trace_id == kTrace128);
    CHECK(p.trace.span_id == kSpan);
  }
  SECTION("when the trace id is 64 bits, the request id is fresh") {
    const PreparedRequest p = prepare({{"B3", "80f198ee56343ba8-e457b5a2e4d86bd1"}});
    CHECK(header_value(p.headers, kB3) == "80f198ee56343ba8-e457b5a2e4d86bd1");
    CHECK(header_value(p.headers, kXVcapRequestId) == kRequestId);
    CHECK(p.trace.trace_id == "80f198ee56343ba8");
  }
  SECTION("when it is malformed and nothing else is sent, it is replaced") {
    const PreparedRequest p = prepare({{"b3", "garbage"}});
    CHECK(header_value(p.headers, kB3) == std::string(kFreshTraceId) + "-" + kFreshSpanId);
    CHECK(header_value(p.headers, kB3TraceId) == kFreshTraceId);
  }
}

TEST_CASE("the zipkin rule keeps valid X-B3 headers and adds b3", "[router][rules][b3]") {
  SECTION("when trace, span, parent and sampled are valid") {
    const PreparedRequest p = prepare({{"X-B3-TraceId", "80F198EE56343BA864FE8B2A57D3EFF7"},
                                       {"X-B3-SpanId", kSpan},
                                       {"X-B3-ParentSpanId", kParent},
                                       {"X-B3-Sampled", "true"}});
    CHECK(header_value(p.headers, kB3TraceId) == "80F198EE56343BA864FE8B2A57D3EFF7");
    CHECK(header_value(p.headers, kB3) == std::string(kTrace128) + "-" + kSpan + "-1-" + kParent);
    CHECK(header_value(p.headers, kXVcapRequestId) == "80f198ee-5634-3ba8-64fe-8b2a57d3eff7");
  }
  SECTION("when the span id is malformed, nothing is touched") {
    const PreparedRequest p = prepare({{"X-B3-TraceId", kTrace128}, {"X-B3-SpanId", "zz"}});
    CHECK(header_value(p.headers, kB3TraceId) == kTrace128);
    CHECK(header_value(p.headers, kB3SpanId) == "zz");
    CHECK_FALSE(has_header(p.headers, kB3));
    CHECK(header_value(p.headers, kXVcapRequestId) == kRequestId);
  }
  SECTION("when the span id is missing, a new trace replaces the trace id") {
    const PreparedRequest p = prepare({{"X-B3-TraceId", kTrace128}});
    CHECK(header_value(p.headers, kB3TraceId) == kFreshTraceId);
    CHECK(header_value(p.headers, kB3SpanId) == kFreshSpanId);
  }
}

TEST_CASE("with zipkin off, B3 headers pass untouched", "[router][rules][b3]") {
  const PreparedRequest p = prepare({{"X-B3-TraceId", "zz"}}, RequestRuleOptions{});
  CHECK(header_value(p.headers, kB3TraceId) == "zz");
  CHECK_FALSE(has_header(p.headers, kB3));
  CHECK_FALSE(has_header(p.headers, kB3SpanId));
  CHECK(header_value(p.headers, kXVcapRequestId) == kRequestId);
}

}  // namespace
}  // namespace cupola::router::rules
