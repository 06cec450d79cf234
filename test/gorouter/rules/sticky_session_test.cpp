// Sticky sessions: which instance a request returns to, and the cookie that remembers it.
#include <catch2/catch.hpp>

#include <vector>

#include "fixtures.h"
#include "gorouter/rules/sticky_session.h"

namespace cupola::router::rules {
namespace {

using namespace testing;
using Kind = StickyChoice::Kind;

std::string vcap_cookie(const HeaderList& response, std::string_view requested = "",
                        const StickySessionOptions& options = {},
                        const Endpoint& answered = endpoint(), std::string_view path = "/") {
  auto c = vcap_id_cookie(response, answered, requested, path, options);
  return c ? format_set_cookie(*c) : std::string("(none)");
}

TEST_CASE("sticky_target needs a session cookie next to __VCAP_ID__", "[router][rules][sticky]") {
  const StickySessionOptions defaults;
  SECTION("when both cookies are sent") {
    CHECK(sticky_target({{"Cookie", "JSESSIONID=abc; __VCAP_ID__=inst-1"}}, defaults) ==
          StickyTarget{"inst-1", false});
  }
  SECTION("when only one of them is sent") {
    CHECK_FALSE(sticky_target({{"Cookie", "__VCAP_ID__=inst-1"}}, defaults));
    CHECK_FALSE(sticky_target({{"Cookie", "JSESSIONID=abc"}}, defaults));
  }
  SECTION("when the session cookie has a configured name") {
    StickySessionOptions o;
    o.cookie_names = {"SESSION", "connect.sid"};
    CHECK(sticky_target({{"Cookie", "connect.sid=s1"}, {"Cookie", "__VCAP_ID__=inst-2"}}, o) ==
          StickyTarget{"inst-2", false});
    CHECK_FALSE(sticky_target({{"Cookie", "JSESSIONID=abc; __VCAP_ID__=inst-1"}}, o));
  }
  SECTION("when an auth-negotiate request carries __VCAP_ID__") {
    const HeaderList h = {{"Authorization", "Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag"},
                          {"Cookie", "__VCAP_ID__=inst-3"}};
    CHECK_FALSE(sticky_target(h, defaults));
    StickySessionOptions o;
    o.for_auth_negotiate = true;
    CHECK(sticky_target(h, o) == StickyTarget{"inst-3", true});
  }
}

TEST_CASE("choose_sticky_endpoint prefers the session's instance", "[router][rules][sticky]") {
  const std::vector<Endpoint> pool = {endpoint("10.0.0.1:8080", "inst-1", "0"),
                                      endpoint("10.0.0.2:8080", "inst-2", "1"),
                                      endpoint("10.0.0.3:8080", "inst-3", "2")};
  SECTION("when the instance is registered") {
    CHECK(choose_sticky_endpoint(pool, StickyTarget{"inst-2", false}) ==
          StickyChoice{Kind::Endpoint, 1});
  }
  SECTION("when the target names the endpoint's address") {
    CHECK(choose_sticky_endpoint(pool, StickyTarget{"10.0.0.3:8080", false}) ==
          StickyChoice{Kind::Endpoint, 2});
  }
  SECTION("when the instance is gone, the request is balanced silently") {
    CHECK(choose_sticky_endpoint(pool, StickyTarget{"inst-9", false}) == StickyChoice{});
    CHECK(choose_sticky_endpoint(pool, std::nullopt) == StickyChoice{});
  }
  SECTION("when the instance is overloaded, it counts as gone") {
    auto busy = [](const Endpoint& e) { return e.instance_id == "inst-2"; };
    CHECK(choose_sticky_endpoint(pool, StickyTarget{"inst-2", false}, busy) == StickyChoice{});
    CHECK(choose_sticky_endpoint(pool, StickyTarget{"inst-2", true}, busy).kind ==
          Kind::NoEndpoint);
  }
  SECTION("when the request must be sticky and the instance is gone") {
    CHECK(choose_sticky_endpoint(pool, StickyTarget{"inst-9", true}).kind == Kind::NoEndpoint);
  }
}

TEST_CASE("a session cookie from the app gets a __VCAP_ID__ next to it",
          "[router][rules][sticky]") {
  const std::string id = kInstanceGuid;
  SECTION("when the app cookie is plain") {
    CHECK(vcap_cookie({{"Set-Cookie", "JSESSIONID=abc; Path=/; HttpOnly"}}) ==
          "__VCAP_ID__=" + id + "; Path=/; HttpOnly");
  }
  SECTION("when it is Secure, SameSite, Partitioned and expires, those are copied") {
    CHECK(vcap_cookie({{"Set-Cookie",
                        "JSESSIONID=abc; Secure; SameSite=None; Partitioned; Max-Age=3600; "
                        "Expires=Wed, 21 Oct 2026 07:28:00 GMT"}}) ==
          "__VCAP_ID__=" + id +
              "; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; Secure; "
              "SameSite=None; Partitioned");
  }
  SECTION("when the app deletes its cookie, __VCAP_ID__ is deleted too") {
    CHECK(vcap_cookie({{"Set-Cookie", "JSESSIONID=; Max-Age=0"}}) ==
          "__VCAP_ID__=" + id + "; Path=/; Max-Age=0; HttpOnly");
    CHECK(vcap_cookie({{"Set-Cookie", "JSESSIONID=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}}) ==
          "__VCAP_ID__=" + id + "; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly");
  }
  SECTION("when the route has a path, the cookie is scoped to it") {
    CHECK(vcap_cookie({{"Set-Cookie", "JSESSIONID=abc"}}, "", {}, endpoint(), "/api") ==
          "__VCAP_ID__=" + id + "; Path=/api; HttpOnly");
  }
  SECTION("when secure_cookies is on, it is always Secure") {
    StickySessionOptions o;
    o.secure_cookies = true;
    CHECK(vcap_cookie({{"Set-Cookie", "JSESSIONID=abc"}}, "", o) ==
          "__VCAP_ID__=" + id + "; Path=/; HttpOnly; Secure");
  }
  SECTION("when the name differs in case, it is not a session cookie") {
    CHECK(vcap_cookie({{"Set-Cookie", "jsessionid=abc"}}) == "(none)");
  }
  SECTION("when the app sets __VCAP_ID__ itself, nothing is added") {
    CHECK(vcap_cookie({{"Set-Cookie", "JSESSIONID=abc"}, {"Set-Cookie", "__VCAP_ID__=mine"}}) ==
          "(none)");
  }
  SECTION("when the endpoint has no instance guid, nothing is added") {
    CHECK(vcap_cookie({{"Set-Cookie", "JSESSIONID=abc"}}, "", {}, endpoint("10.0.0.1:80", "")) ==
          "(none)");
  }
}

TEST_CASE("a sticky request that reached another instance is re-pointed",
          "[router][rules][sticky]") {
  const std::string id = kInstanceGuid;
  SECTION("when its instance was gone") {
    CHECK(vcap_cookie({}, "gone-instance") == "__VCAP_ID__=" + id + "; Path=/; HttpOnly");
  }
  SECTION("when it reached its own instance, nothing is added") {
    CHECK(vcap_cookie({}, kInstanceGuid) == "(none)");
  }
  SECTION("when it was not sticky, nothing is added") { CHECK(vcap_cookie({}) == "(none)"); }
}

TEST_CASE("auth negotiate responses get a short, strict __VCAP_ID__", "[router][rules][sticky]") {
  StickySessionOptions o;
  o.for_auth_negotiate = true;
  const HeaderList response = {{"WWW-Authenticate", "Negotiate oYH1MIHyoAMKAQChCwYJKoZIgvcSAQIC"},
                               {"Set-Cookie", "JSESSIONID=abc; Secure"}};
  CHECK(vcap_cookie(response, "", o) == "__VCAP_ID__=" + std::string(kInstanceGuid) +
                                            "; Path=/; Max-Age=60; HttpOnly; "
                                            "SameSite=Strict");
  CHECK(vcap_cookie({{"WWW-Authenticate", "Negotiate x"}}) == "(none)");
}

}  // namespace
}  // namespace cupola::router::rules
