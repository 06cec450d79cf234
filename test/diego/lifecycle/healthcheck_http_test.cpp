#include "diego/lifecycle/healthcheck/http.h"

#include <catch2/catch.hpp>

using namespace cupola::lifecycle;

TEST_CASE("the health check's HTTP request") {
  SECTION("when the host is IPv4, Host carries it with the port") {
    CHECK(http_request("127.0.0.1", 8080, "/health?full=1") ==
          "GET /health?full=1 HTTP/1.1\r\n"
          "Host: 127.0.0.1:8080\r\n"
          "User-Agent: cupola-healthcheck\r\n"
          "X-Forwarded-Proto: https\r\n"
          "Connection: close\r\n"
          "\r\n");
  }
  SECTION("when the host is IPv6, it is bracketed") {
    CHECK(http_request("::1", 80, "/").find("\r\nHost: [::1]:80\r\n") != std::string::npos);
  }
}

TEST_CASE("reading the status line") {
  CHECK(parse_status_line("HTTP/1.1 200 OK") == 200);
  CHECK(parse_status_line("HTTP/1.0 503 Service Unavailable") == 503);
  CHECK(parse_status_line("HTTP/1.1 204") == 204);
  CHECK_FALSE(parse_status_line("HTTP/2 200 OK"));
  CHECK_FALSE(parse_status_line("HTTP/1.1 20 OK"));
  CHECK_FALSE(parse_status_line("HTTP/1.1 2000 OK"));
  CHECK_FALSE(parse_status_line("HTTP/1.1 abc OK"));
  CHECK_FALSE(parse_status_line("SSH-2.0-OpenSSH_9.2"));
}

TEST_CASE("scanning a response as it arrives") {
  SECTION("when only part of the status line has come, more is needed") {
    auto p = scan_http_response("HTTP/1.1 20");
    CHECK_FALSE(p.status);
    CHECK_FALSE(p.malformed);
    CHECK_FALSE(scan_http_response("").malformed);
  }
  SECTION("when the bytes are not HTTP, the response is malformed at once") {
    CHECK(scan_http_response("SSH-2.0").malformed);
    CHECK(scan_http_response("garbage\r\n").malformed);
    CHECK(scan_http_response(std::string(kMaxStatusLineBytes, 'H').insert(0, "HTTP/")).malformed);
  }
  SECTION("when the status line is in, the status is known before the headers end") {
    auto p = scan_http_response("HTTP/1.1 500 Internal Server Error\r\nContent-Le");
    CHECK(p.status == 500);
    CHECK_FALSE(p.complete);
  }
  SECTION("when a Content-Length body has fully arrived, the response is complete") {
    std::string head = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n";
    CHECK_FALSE(scan_http_response(head + "hel").complete);
    CHECK(scan_http_response(head + "hello").complete);
  }
  SECTION("when a chunked body has its last chunk, the response is complete") {
    std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
    CHECK_FALSE(scan_http_response(head + "5\r\nhello\r\n").complete);
    CHECK(scan_http_response(head + "5\r\nhello\r\n0\r\n\r\n").complete);
    CHECK(scan_http_response(head + "0\r\n\r\n").complete);
  }
  SECTION("when the body's end is known only by the connection closing, it never completes") {
    CHECK_FALSE(scan_http_response("HTTP/1.0 200 OK\r\n\r\nsome body").complete);
  }
  SECTION("when a status has no body, the headers complete it") {
    CHECK(scan_http_response("HTTP/1.1 204 No Content\r\n\r\n").complete);
    CHECK(scan_http_response("HTTP/1.1 304 Not Modified\nETag: x\n\n").complete);
  }
  SECTION("when interim responses come first, the final status counts") {
    auto p = scan_http_response(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    CHECK(p.status == 404);
    CHECK(p.complete);
    CHECK_FALSE(scan_http_response("HTTP/1.1 100 Continue\r\n\r\n").status);
  }
}
