#include "common/http/client/url.h"

#include <catch2/catch.hpp>

namespace cupola::http {

TEST_CASE("parse_url") {
  SECTION("when http without a port, it defaults to 80 and the target to /") {
    auto u = parse_url("http://example.com");
    REQUIRE(u.ok());
    CHECK(u->scheme == "http");
    CHECK(u->host == "example.com");
    CHECK(u->port == 80);
    CHECK(u->target == "/");
    CHECK_FALSE(u->tls());
    CHECK(u->host_header() == "example.com");
    CHECK(u->origin() == "http://example.com:80");
  }
  SECTION("when https without a port, it defaults to 443") {
    auto u = parse_url("https://api.localhost/v3/apps");
    REQUIRE(u.ok());
    CHECK(u->tls());
    CHECK(u->port == 443);
    CHECK(u->target == "/v3/apps");
  }
  SECTION("when a port, path and query are given, the target keeps them encoded") {
    auto u = parse_url("http://127.0.0.1:8889/v1/events?a=1&b=x%20y#frag");
    REQUIRE(u.ok());
    CHECK(u->host == "127.0.0.1");
    CHECK(u->host_is_address());
    CHECK(u->port == 8889);
    CHECK(u->target == "/v1/events?a=1&b=x%20y");
    CHECK(u->host_header() == "127.0.0.1:8889");
    CHECK(u->str() == "http://127.0.0.1:8889/v1/events?a=1&b=x%20y");
  }
  SECTION("when the scheme is upper case, it is recognised") {
    auto u = parse_url("HTTPS://Example.com:8443/");
    REQUIRE(u.ok());
    CHECK(u->scheme == "https");
    CHECK(u->port == 8443);
  }
  SECTION("when the host is IPv6, brackets are removed and restored for headers") {
    auto u = parse_url("http://[::1]:9022/x");
    REQUIRE(u.ok());
    CHECK(u->host == "::1");
    CHECK(u->host_is_address());
    CHECK(u->host_header() == "[::1]:9022");
    CHECK(u->origin() == "http://[::1]:9022");
  }
  SECTION("when the port is the scheme's default, the Host header omits it") {
    auto u = parse_url("https://example.com:443/");
    REQUIRE(u.ok());
    CHECK(u->host_header() == "example.com");
  }
}

TEST_CASE("parse_url errors") {
  auto fails_with = [](std::string_view text, std::string_view needle) {
    auto u = parse_url(text);
    REQUIRE_FALSE(u.ok());
    CHECK(u.error().code == Errc::InvalidArgument);
    CHECK_THAT(u.error().message, Catch::Contains(std::string(needle)));
    CHECK_THAT(u.error().message, Catch::Contains(std::string(text)));
  };
  SECTION("when the URL is relative") { fails_with("/v1/tasks", "not an absolute URL"); }
  SECTION("when it is not a URL at all") { fails_with("http//x y", "not an absolute URL"); }
  SECTION("when the scheme is not http or https") { fails_with("ftp://host/", "\"ftp\""); }
  SECTION("when there is no host") { fails_with("http:///path", "no host"); }
  SECTION("when the port is out of range") { fails_with("http://host:70000/", "bad port"); }
  SECTION("when the port is zero") { fails_with("http://host:0/", "bad port"); }
  SECTION("when the port is empty") { fails_with("http://host:/", "bad port"); }
  SECTION("when credentials are embedded") { fails_with("https://user:pw@host/", "credentials"); }
}

}  // namespace cupola::http
