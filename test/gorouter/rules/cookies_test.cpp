// Cookies read and written the way Go's net/http does.
#include <catch2/catch.hpp>

#include <chrono>

#include "gorouter/rules/cookies.h"

namespace cupola::router::rules {
namespace {

using namespace std::chrono;

TimePoint at(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return TimePoint{sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s}};
}

TEST_CASE("request_cookie finds the first well-formed cookie of a name",
          "[router][rules][cookie]") {
  SECTION("when cookies share a line") {
    const HeaderList h = {{"Cookie", "a=1; JSESSIONID=abc ;__VCAP_ID__=\"inst-1\""}};
    CHECK(request_cookie(h, "JSESSIONID") == "abc");
    CHECK(request_cookie(h, "__VCAP_ID__") == "inst-1");
    CHECK_FALSE(request_cookie(h, "jsessionid"));
    CHECK_FALSE(request_cookie(h, "missing"));
  }
  SECTION("when they are spread over lines and the first is malformed") {
    const HeaderList h = {{"Cookie", "__VCAP_ID__=bad\\value"}, {"cookie", "__VCAP_ID__=good"}};
    CHECK(request_cookie(h, "__VCAP_ID__") == "good");
  }
  SECTION("when a cookie has an empty value") {
    CHECK(request_cookie({{"Cookie", "JSESSIONID="}}, "JSESSIONID") == "");
  }
}

TEST_CASE("parse_set_cookie reads the attributes", "[router][rules][cookie]") {
  SECTION("when all of them are set") {
    auto c = parse_set_cookie(
        "JSESSIONID=abc; Path=/app; Domain=example.com; Secure; HttpOnly; SameSite=Lax; "
        "Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=3600; Partitioned");
    REQUIRE(c);
    CHECK(c->name == "JSESSIONID");
    CHECK(c->value == "abc");
    CHECK(c->path == "/app");
    CHECK(c->domain == "example.com");
    CHECK(c->secure);
    CHECK(c->http_only);
    CHECK(c->same_site == SameSite::Lax);
    CHECK(c->expires == at(2026, 10, 21, 7, 28, 0));
    CHECK(c->max_age == 3600);
    CHECK(c->partitioned);
  }
  SECTION("when Max-Age deletes the cookie") {
    CHECK(parse_set_cookie("a=b; Max-Age=0")->max_age == -1);
    CHECK(parse_set_cookie("a=b; max-age=-5")->max_age == -1);
  }
  SECTION("when Max-Age is malformed, it is ignored") {
    CHECK(parse_set_cookie("a=b; Max-Age=010")->max_age == 0);
    CHECK(parse_set_cookie("a=b; Max-Age=soon")->max_age == 0);
  }
  SECTION("when Expires uses dashes or is malformed") {
    CHECK(parse_set_cookie("a=b; expires=Thu, 01-Jan-1970 00:00:00 GMT")->expires ==
          at(1970, 1, 1, 0, 0, 0));
    CHECK_FALSE(parse_set_cookie("a=b; Expires=tomorrow")->expires);
    CHECK_FALSE(parse_set_cookie("a=b; Expires=Wed, 31 Feb 2026 07:28:00 GMT")->expires);
    CHECK_FALSE(parse_set_cookie("a=b; Expires=Mon, 01 Jan 1601 00:00:00 GMT")->expires);
  }
  SECTION("when SameSite has an unknown value") {
    CHECK(parse_set_cookie("a=b; SameSite=sometimes")->same_site == SameSite::Default);
    CHECK(parse_set_cookie("a=b")->same_site == SameSite::Unset);
  }
  SECTION("when the name or value is malformed") {
    CHECK_FALSE(parse_set_cookie("no-equals-sign"));
    CHECK_FALSE(parse_set_cookie("bad name=1"));
    CHECK_FALSE(parse_set_cookie("a=\"unterminated"));
    CHECK_FALSE(parse_set_cookie(""));
  }
}

TEST_CASE("format_set_cookie writes Go's attribute order", "[router][rules][cookie]") {
  SetCookie c;
  c.name = "__VCAP_ID__";
  c.value = "inst-1";
  CHECK(format_set_cookie(c) == "__VCAP_ID__=inst-1");
  c.path = "/";
  c.domain = "example.com";
  c.expires = at(2026, 10, 21, 7, 28, 0);
  c.max_age = 60;
  c.http_only = true;
  c.secure = true;
  c.same_site = SameSite::Strict;
  c.partitioned = true;
  CHECK(format_set_cookie(c) ==
        "__VCAP_ID__=inst-1; Path=/; Domain=example.com; Expires=Wed, 21 Oct 2026 07:28:00 GMT; "
        "Max-Age=60; HttpOnly; Secure; SameSite=Strict; Partitioned");
  SECTION("when Max-Age is negative it is written as 0") {
    c.max_age = -1;
    CHECK(format_set_cookie(c).find("; Max-Age=0;") != std::string::npos);
  }
  SECTION("when the value has a space it is quoted") {
    c = SetCookie{};
    c.name = "a";
    c.value = "b c";
    CHECK(format_set_cookie(c) == "a=\"b c\"");
  }
}

TEST_CASE("HTTP dates round-trip in GMT", "[router][rules][cookie]") {
  CHECK(format_http_date(at(2026, 10, 21, 7, 28, 0)) == "Wed, 21 Oct 2026 07:28:00 GMT");
  CHECK(format_http_date(at(1970, 1, 1, 0, 0, 0)) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == at(1994, 11, 6, 8, 49, 37));
  CHECK(parse_http_date("sun, 06 nov 1994 08:49:37 UTC") == at(1994, 11, 6, 8, 49, 37));
  CHECK_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 24:00:00 GMT"));
}

}  // namespace
}  // namespace cupola::router::rules
