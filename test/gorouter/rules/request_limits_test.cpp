// Request heads the router refuses before routing.
#include <catch2/catch.hpp>

#include "gorouter/rules/request_limits.h"

namespace cupola::router::rules {
namespace {

TEST_CASE("request_head_size counts every line as written", "[router][rules][limits]") {
  const HeaderList h = {{"Host", "a.io"}, {"Accept", "*/*"}};
  // "GET / HTTP/1.1\r\n" 16, "Host: a.io\r\n" 12, "Accept: */*\r\n" 13.
  CHECK(request_head_size("GET", "/", "HTTP/1.1", h) == 41);
}

TEST_CASE("request_head_too_large applies the byte and line limits", "[router][rules][limits]") {
  const HeaderList h = {{"Host", "a.io"}, {"Accept", "*/*"}, {"X-A", "1"}};
  SECTION("when the head reaches the byte limit") {
    CHECK(request_head_too_large("GET", "/", "HTTP/1.1", h, {.max_request_header_bytes = 49}));
    CHECK_FALSE(
        request_head_too_large("GET", "/", "HTTP/1.1", h, {.max_request_header_bytes = 50}));
  }
  SECTION("when the limit is unset or too large, 1 MiB applies") {
    const HeaderList big = {{"Host", "a.io"}, {"Cookie", std::string(kMaxRequestHeaderBytes, 'c')}};
    CHECK(request_head_too_large("GET", "/", "HTTP/1.1", big, {.max_request_header_bytes = 0}));
    CHECK(request_head_too_large("GET", "/", "HTTP/1.1", big,
                                 {.max_request_header_bytes = 4 * kMaxRequestHeaderBytes}));
    CHECK_FALSE(request_head_too_large("GET", "/", "HTTP/1.1", h));
  }
  SECTION("when there are more lines than max_request_headers (Host not counted)") {
    CHECK(request_head_too_large("GET", "/", "HTTP/1.1", h, {.max_request_headers = 1}));
    CHECK_FALSE(request_head_too_large("GET", "/", "HTTP/1.1", h, {.max_request_headers = 2}));
  }
}

TEST_CASE("protocol_supported serves HTTP/1.0, 1.1 and optionally 2", "[router][rules][limits]") {
  CHECK(protocol_supported(1, 0, false));
  CHECK(protocol_supported(1, 1, false));
  CHECK_FALSE(protocol_supported(1, 2, true));
  CHECK_FALSE(protocol_supported(0, 9, true));
  CHECK(protocol_supported(2, 0, true));
  CHECK_FALSE(protocol_supported(2, 0, false));
}

}  // namespace
}  // namespace cupola::router::rules
