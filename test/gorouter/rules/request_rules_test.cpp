// The headers a backend receives for a client's request.
#include <catch2/catch.hpp>

#include <vector>

#include "fixtures.h"
#include "gorouter/rules/names.h"
#include "gorouter/rules/request_rules.h"

namespace cupola::router::rules {
namespace {

using namespace testing;

HeaderList backend_headers_of(const ClientRequest& client, const RequestRuleOptions& options = {}) {
  return backend_request_headers(client, endpoint(), fresh_ids(), options);
}

HeaderList backend_headers(HeaderList extra, const RequestRuleOptions& options = {}) {
  return backend_headers_of(client_request(std::move(extra)), options);
}

TEST_CASE("request rules run in gorouter's order", "[router][rules][request]") {
  std::vector<std::string_view> names;
  for (const NamedRequestRule& rule : request_rules()) names.push_back(rule.name);
  CHECK(names == std::vector<std::string_view>{"zipkin", "w3c", "vcap_request_id",
                                               "forwarded_client_cert", "hop_by_hop_filter",
                                               "x_forwarded_proto", "x_request_start",
                                               "drop_app_instance", "remove_hop_by_hop",
                                               "x_forwarded_for", "expect_continue_close"});
}

TEST_CASE("a plain request gains the router's headers and keeps its own",
          "[router][rules][request]") {
  CHECK(backend_headers(HeaderList{}) == HeaderList{{"Host", "app.example.com"},
                                                    {"User-Agent", "curl/8.5.0"},
                                                    {"X-Vcap-Request-Id", kRequestId},
                                                    {"X-Forwarded-Proto", "http"},
                                                    {"X-Request-Start", "1700000000123"},
                                                    {"X-Forwarded-For", "203.0.113.7"},
                                                    {"X-Cf-Applicationid", kAppGuid},
                                                    {"X-Cf-Instanceindex", "2"},
                                                    {"X-Cf-Instanceid", kInstanceGuid}});
}

TEST_CASE("X-Forwarded-For gets the client's address appended", "[router][rules][request]") {
  SECTION("when the client sent one value") {
    const HeaderList h = backend_headers({{"X-Forwarded-For", "198.51.100.1"}});
    CHECK(header_values(h, kXForwardedFor) ==
          std::vector<std::string_view>{"198.51.100.1, 203.0.113.7"});
  }
  SECTION("when the client sent several lines, they become one") {
    const HeaderList h = backend_headers(
        {{"x-forwarded-for", "198.51.100.1, 198.51.100.2"}, {"X-FORWARDED-FOR", "198.51.100.3"}});
    CHECK(header_values(h, kXForwardedFor) ==
          std::vector<std::string_view>{"198.51.100.1, 198.51.100.2, 198.51.100.3, 203.0.113.7"});
  }
  SECTION("when the client is on IPv6") {
    ClientRequest client = client_request();
    client.remote_addr = "[2001:db8::7]:52113";
    CHECK(header_value(backend_headers_of(client), kXForwardedFor) == "2001:db8::7");
  }
  SECTION("when the client address has no port, the header is left alone") {
    ClientRequest client = client_request({{"X-Forwarded-For", "198.51.100.1"}});
    client.remote_addr = "203.0.113.7";
    CHECK(header_value(backend_headers_of(client), kXForwardedFor) == "198.51.100.1");
  }
}

TEST_CASE("X-Forwarded-Proto is kept or set from the connection", "[router][rules][request]") {
  SECTION("when absent over TLS, it is https") {
    ClientRequest client = client_request();
    client.tls = true;
    CHECK(header_value(backend_headers_of(client), kXForwardedProto) == "https");
  }
  SECTION("when the client sent a value, it is kept") {
    CHECK(header_value(backend_headers({{"x-forwarded-proto", "https"}}), kXForwardedProto) ==
          "https");
  }
  SECTION("when the client sent an empty value, it is replaced") {
    CHECK(header_value(backend_headers({{"X-Forwarded-Proto", ""}}), kXForwardedProto) == "http");
  }
  SECTION("when sanitize_forwarded_proto is on, the connection's scheme wins") {
    RequestRuleOptions o;
    o.sanitize_forwarded_proto = true;
    const HeaderList h = backend_headers({{"X-Forwarded-Proto", "https"}}, o);
    CHECK(header_values(h, kXForwardedProto) == std::vector<std::string_view>{"http"});
  }
  SECTION("when force_forwarded_proto_https is on, it is always https") {
    RequestRuleOptions o;
    o.force_forwarded_proto_https = true;
    o.sanitize_forwarded_proto = true;
    CHECK(header_value(backend_headers({{"X-Forwarded-Proto", "http"}}, o), kXForwardedProto) ==
          "https");
  }
}

TEST_CASE("X-Request-Start is set only when absent", "[router][rules][request]") {
  CHECK(header_value(backend_headers(HeaderList{}), kXRequestStart) == "1700000000123");
  CHECK(header_value(backend_headers({{"x-request-start", "1600000000000"}}), kXRequestStart) ==
        "1600000000000");
  CHECK(header_values(backend_headers({{"X-Request-Start", ""}}), kXRequestStart) ==
        std::vector<std::string_view>{""});
}

TEST_CASE("the router's identity headers replace the client's", "[router][rules][request]") {
  const HeaderList h = backend_headers({{"X-Vcap-Request-Id", "chosen-by-client"},
                                        {"X-CF-InstanceID", "spoofed"},
                                        {"X-CF-ApplicationID", "spoofed"},
                                        {"X-CF-InstanceIndex", "99"},
                                        {"X-CF-APP-INSTANCE", std::string(kAppGuid) + ":2"}});
  CHECK(header_values(h, kXVcapRequestId) == std::vector<std::string_view>{kRequestId});
  CHECK(header_values(h, kXCfInstanceId) == std::vector<std::string_view>{kInstanceGuid});
  CHECK(header_values(h, kXCfApplicationId) == std::vector<std::string_view>{kAppGuid});
  CHECK(header_values(h, kXCfInstanceIndex) == std::vector<std::string_view>{"2"});
  CHECK_FALSE(has_header(h, kXCfAppInstance));
}

TEST_CASE("X-Cf-Instanceid falls back to the endpoint's address", "[router][rules][request]") {
  const PreparedRequest p = prepare_request(client_request(), fresh_ids(), {});
  const HeaderList h = headers_for_endpoint(p.headers, endpoint("10.0.16.9:8080", ""));
  CHECK(header_value(h, kXCfInstanceId) == "10.0.16.9:8080");
  SECTION("when a retry goes to another endpoint, the identity follows it") {
    const HeaderList retry = headers_for_endpoint(h, endpoint("10.0.16.5:61002", "other", "0"));
    CHECK(header_values(retry, kXCfInstanceId) == std::vector<std::string_view>{"other"});
    CHECK(header_values(retry, kXCfInstanceIndex) == std::vector<std::string_view>{"0"});
  }
}

TEST_CASE("hop-by-hop headers do not reach the backend", "[router][rules][request]") {
  SECTION("when the fixed names and names listed in Connection are sent") {
    const HeaderList h = backend_headers({{"Connection", "keep-alive, X-Secret"},
                                          {"connection", "x-other"},
                                          {"x-secret", "1"},
                                          {"X-OTHER", "2"},
                                          {"Keep-Alive", "timeout=5"},
                                          {"Proxy-Connection", "keep-alive"},
                                          {"Proxy-Authorization", "Basic Zm9vOmJhcg=="},
                                          {"TE", "gzip"},
                                          {"Trailer", "Expires"},
                                          {"Transfer-Encoding", "chunked"},
                                          {"Upgrade", "h2c"},
                                          {"X-Kept", "3"}});
    for (std::string_view name :
         {"Connection", "X-Secret", "X-Other", "Keep-Alive", "Proxy-Connection",
          "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}) {
      INFO(name);
      CHECK_FALSE(has_header(h, name));
    }
    CHECK(header_value(h, "X-Kept") == "3");
  }
  SECTION("when the client accepts trailers, Te: trailers is kept") {
    CHECK(header_values(backend_headers({{"TE", "gzip, trailers"}}), kTe) ==
          std::vector<std::string_view>{"trailers"});
  }
  SECTION("when a name is in hop_by_hop_headers_to_filter, that header survives") {
    RequestRuleOptions o;
    o.hop_by_hop_headers_to_filter = {"X-Forwarded-Client-Cert"};
    const HeaderList h = backend_headers({{"Connection", "close, x-forwarded-client-cert, X-Gone"},
                                          {"X-Forwarded-Client-Cert", "MIIB"},
                                          {"X-Gone", "1"}},
                                         o);
    CHECK(header_value(h, kXForwardedClientCert) == "MIIB");
    CHECK_FALSE(has_header(h, "X-Gone"));
    CHECK_FALSE(has_header(h, kConnection));
  }
}

TEST_CASE("a WebSocket upgrade keeps its Connection and Upgrade", "[router][rules][request]") {
  const HeaderList h = backend_headers({{"Connection", "keep-alive, Upgrade"},
                                        {"Upgrade", "websocket"},
                                        {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                        {"Sec-WebSocket-Version", "13"}});
  CHECK(header_values(h, kConnection) == std::vector<std::string_view>{"Upgrade"});
  CHECK(header_values(h, kUpgrade) == std::vector<std::string_view>{"websocket"});
  CHECK(header_value(h, "Sec-WebSocket-Key") == "dGhlIHNhbXBsZSBub25jZQ==");
  SECTION("when Upgrade comes without Connection: upgrade, it is dropped") {
    CHECK_FALSE(has_header(backend_headers({{"Upgrade", "websocket"}}), kUpgrade));
  }
}

TEST_CASE("Expect: 100-continue requests close the backend connection",
          "[router][rules][request]") {
  SECTION("by default") {
    const HeaderList h = backend_headers({{"Expect", "100-Continue"}});
    CHECK(header_values(h, kConnection) == std::vector<std::string_view>{"close"});
    CHECK(header_value(h, kExpect) == "100-Continue");
  }
  SECTION("when keep_alive_100_continue_requests is on") {
    RequestRuleOptions o;
    o.keep_alive_100_continue_requests = true;
    CHECK_FALSE(has_header(backend_headers({{"Expect", "100-continue"}}, o), kConnection));
  }
}

TEST_CASE("X-Forwarded-Client-Cert follows forwarded_client_cert", "[router][rules][request]") {
  ClientRequest with_cert = client_request({{"X-Forwarded-Client-Cert", "forged"}});
  with_cert.tls = true;
  with_cert.client_cert_base64 = "MIIBszCCAVmgAwIBAgIU";
  const ClientRequest without_cert = client_request({{"X-Forwarded-Client-Cert", "forged"}});
  RequestRuleOptions o;

  SECTION("when always_forward, the client's header passes") {
    CHECK(header_value(backend_headers_of(without_cert, o), kXForwardedClientCert) == "forged");
  }
  SECTION("when forward, it passes only with a client certificate") {
    o.forwarded_client_cert = ForwardedClientCert::Forward;
    CHECK(header_value(backend_headers_of(with_cert, o), kXForwardedClientCert) == "forged");
    CHECK_FALSE(has_header(backend_headers_of(without_cert, o), kXForwardedClientCert));
  }
  SECTION("when sanitize_set, it is the client's certificate or nothing") {
    o.forwarded_client_cert = ForwardedClientCert::SanitizeSet;
    CHECK(header_values(backend_headers_of(with_cert, o), kXForwardedClientCert) ==
          std::vector<std::string_view>{"MIIBszCCAVmgAwIBAgIU"});
    CHECK_FALSE(has_header(backend_headers_of(without_cert, o), kXForwardedClientCert));
  }
}

TEST_CASE("Host is preserved as sent", "[router][rules][request]") {
  ClientRequest client = client_request();
  client.headers[0] = {"host", "App.Example.com:8443"};
  const HeaderList h = backend_headers_of(client);
  CHECK(h.front() == Header{"host", "App.Example.com:8443"});
}

}  // namespace
}  // namespace cupola::router::rules
