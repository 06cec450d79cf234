#include "gorouter/route/route_key.h"

#include <catch2/catch.hpp>

#include "gorouter/route/instance_header.h"

using namespace cupola;
using namespace cupola::router;

namespace {

std::string key_of(std::string_view uri) {
  auto k = RouteKey::parse(uri);
  REQUIRE(k.ok());
  return k->str();
}

std::string normalized(std::string_view target) {
  std::string storage;
  std::string_view out;
  if (!normalize_request_path(target, storage, out)) return "<malformed>";
  return std::string(out);
}

}  // namespace

TEST_CASE("route keys from registered uris") {
  SECTION("when a uri has upper case, a query or trailing slashes, they are normalised away") {
    CHECK(key_of("Dora.Apps.Example.COM") == "dora.apps.example.com");
    CHECK(key_of("dora.app.com?foo=bar") == "dora.app.com");
    CHECK(key_of("dora.app.com/snarf?foo=bar") == "dora.app.com/snarf");
    CHECK(key_of("dora.app.com/app/UP/we/Go/") == "dora.app.com/app/up/we/go");
  }
  SECTION("when a uri has a path, host and path split at the first slash") {
    auto k = RouteKey::parse("a.example.com/v1/x");
    REQUIRE(k.ok());
    CHECK(k->host() == "a.example.com");
    CHECK(k->path() == "/v1/x");
    CHECK_FALSE(k->wildcard());
    CHECK(k->hash() == host_hash("A.EXAMPLE.com"));
  }
  SECTION("when a uri is a wildcard, it keeps its star") {
    auto k = RouteKey::parse("*.Example.com");
    REQUIRE(k.ok());
    CHECK(k->str() == "*.example.com");
    CHECK(k->wildcard());
    CHECK(k->hash() == HostHasher{}.feed("*.").feed("example.com").finish());
  }
  SECTION("when a path holds escapes or non-ASCII bytes, escapes stay and bytes are encoded") {
    CHECK(key_of("a.com/x%2Fy") == "a.com/x%2fy");
    CHECK(key_of("a.com/caf\xc3\xa9") == "a.com/caf%c3%a9");
  }
  SECTION("when a uri is malformed, parsing says why") {
    for (const char* bad :
         {"", "/", "/path-only", "a..com", ".a.com", "a.com:80", "*", "*.", "a.*.com", "**.a.com",
          "a b.com", "a.com/x y", "a.com/x%2", "a.com/x\"y", "http://a.com"}) {
      INFO(bad);
      CHECK_FALSE(RouteKey::parse(bad).ok());
    }
    CHECK_FALSE(RouteKey::parse("a.com/" + std::string(kMaxUriBytes, 'x')).ok());
    CHECK_FALSE(RouteKey::parse(std::string(64, 'a') + ".com").ok());
  }
}

TEST_CASE("request hosts and paths") {
  SECTION("when the Host header has a port, it is dropped") {
    CHECK(host_without_port("app.example.com:8080") == "app.example.com");
    CHECK(host_without_port("app.example.com") == "app.example.com");
    CHECK(host_without_port("[::1]:8080") == "[::1]");
  }
  SECTION("when a target has a query, it is dropped") {
    CHECK(normalized("/a/b?c=d/e") == "/a/b");
    CHECK(normalized("?x") == "");
  }
  SECTION("when a path has escapes, they are kept as written") {
    CHECK(normalized("/a%2Fb") == "/a%2Fb");
    CHECK(normalized("/%7Euser") == "/%7Euser");
  }
  SECTION("when a path has bytes a request must escape, they are encoded") {
    CHECK(normalized("/caf\xc3\xa9") == "/caf%c3%a9");
    CHECK(normalized("/a b") == "/a%20b");
    CHECK(normalized("/a{b}") == "/a%7bb%7d");
  }
  SECTION("when a percent is not followed by two hex digits, the path is malformed") {
    CHECK(normalized("/a%") == "<malformed>");
    CHECK(normalized("/a%4") == "<malformed>");
    CHECK(normalized("/a%zz") == "<malformed>");
  }
  SECTION("when a route path is compared, only whole segments match, in any case") {
    CHECK(path_matches("", "/anything"));
    CHECK(path_matches("/api", "/api"));
    CHECK(path_matches("/api", "/API/v1"));
    CHECK(path_matches("/api", "/api/"));
    CHECK_FALSE(path_matches("/api", "/apix"));
    CHECK_FALSE(path_matches("/api/v1", "/api"));
  }
}

TEST_CASE("X-Cf-App-Instance headers") {
  SECTION("when well formed, the guid and index come out") {
    auto a = parse_app_instance_header("5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6:12");
    REQUIRE(a.has_value());
    CHECK(a->app_id == "5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6");
    CHECK(a->index == "12");
  }
  SECTION("when malformed, nothing comes out") {
    for (const char* bad :
         {"", "5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6",
          "5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6:", "5E0D3A4F-1c2b-4d6e-8f90-a1b2c3d4e5f6:1",
          "5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6:x", "not-a-guid:1"}) {
      INFO(bad);
      CHECK_FALSE(parse_app_instance_header(bad).has_value());
    }
  }
}
