// The headers a client receives for a backend's response.
#include <catch2/catch.hpp>

#include <vector>

#include "fixtures.h"
#include "gorouter/rules/names.h"
#include "gorouter/rules/response_rules.h"

namespace cupola::router::rules {
namespace {

using namespace testing;

const HeaderList kRequest = {{"Host", "app.example.com"}, {"X-Vcap-Request-Id", kRequestId}};

HeaderList client_headers(int status, HeaderList backend, const ResponseRuleOptions& options = {},
                          const HeaderList& request = kRequest) {
  const Endpoint e = endpoint();
  const ResponseRuleInput input{request, e, "", "/"};
  return client_response_headers({status, std::move(backend)}, input, options);
}

TEST_CASE("response rules run in gorouter's order", "[router][rules][response]") {
  std::vector<std::string_view> names;
  for (const NamedResponseRule& rule : response_rules()) names.push_back(rule.name);
  CHECK(names == std::vector<std::string_view>{"sticky_session", "remove_hop_by_hop",
                                               "vcap_request_id", "vcap_trace", "rewrites"});
}

TEST_CASE("a response loses hop-by-hop headers and gains the request id",
          "[router][rules][response]") {
  const HeaderList h = client_headers(200, {{"Content-Type", "text/html"},
                                            {"Connection", "keep-alive, X-Internal"},
                                            {"X-Internal", "1"},
                                            {"Keep-Alive", "timeout=5"},
                                            {"Transfer-Encoding", "chunked"},
                                            {"Set-Cookie", "JSESSIONID=abc; Path=/"}});
  CHECK(h == HeaderList{
                 {"Content-Type", "text/html"},
                 {"Set-Cookie", "JSESSIONID=abc; Path=/"},
                 {"Set-Cookie", "__VCAP_ID__=" + std::string(kInstanceGuid) + "; Path=/; HttpOnly"},
                 {"X-Vcap-Request-Id", kRequestId}});
}

TEST_CASE("the backend's own X-Vcap-Request-Id is kept", "[router][rules][response]") {
  CHECK(header_values(client_headers(200, {{"x-vcap-request-id", "app-chosen"}}),
                      kXVcapRequestId) == std::vector<std::string_view>{"app-chosen"});
  CHECK(header_values(client_headers(200, {{"X-Vcap-Request-Id", ""}}), kXVcapRequestId) ==
        std::vector<std::string_view>{kRequestId});
}

TEST_CASE("101 Switching Protocols passes Connection and Upgrade", "[router][rules][response]") {
  const HeaderList h = client_headers(
      101, {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}, {"Sec-WebSocket-Accept", "s3p"}});
  CHECK(header_value(h, kConnection) == "Upgrade");
  CHECK(header_value(h, kUpgrade) == "websocket");
  CHECK(header_value(h, "Sec-WebSocket-Accept") == "s3p");
}

TEST_CASE("routing headers are added for a matching X-Vcap-Trace", "[router][rules][response]") {
  ResponseRuleOptions o;
  o.trace_key = "s3cret";
  o.router_ip = "10.0.1.10";
  SECTION("when the key matches") {
    HeaderList request = kRequest;
    request.push_back({"X-Vcap-Trace", "s3cret"});
    const HeaderList h = client_headers(200, {}, o, request);
    CHECK(header_value(h, kXVcapRouter) == "10.0.1.10");
    CHECK(header_value(h, kXVcapBackend) == "10.0.16.4:61001");
    CHECK(header_value(h, kXCfRouteEndpoint) == "10.0.16.4:61001");
  }
  SECTION("when it does not") {
    HeaderList request = kRequest;
    request.push_back({"X-Vcap-Trace", "guess"});
    CHECK_FALSE(has_header(client_headers(200, {}, o, request), kXVcapRouter));
  }
}

TEST_CASE("operator rewrites remove and add response headers", "[router][rules][response]") {
  ResponseRuleOptions o;
  o.remove_headers = {"Server"};
  o.add_headers_if_not_present = {{"Strict-Transport-Security", "max-age=31536000"},
                                  {"X-Frame-Options", "DENY"}};
  const HeaderList h = client_headers(
      200,
      {{"server", "Apache"}, {"X-CF-Proxy-Signature", "sig"}, {"X-Frame-Options", "SAMEORIGIN"}},
      o);
  CHECK_FALSE(has_header(h, "Server"));
  CHECK_FALSE(has_header(h, kXCfProxySignature));
  CHECK(header_value(h, "Strict-Transport-Security") == "max-age=31536000");
  CHECK(header_values(h, "X-Frame-Options") == std::vector<std::string_view>{"SAMEORIGIN"});
}

}  // namespace
}  // namespace cupola::router::rules
