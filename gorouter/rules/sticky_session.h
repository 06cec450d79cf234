#pragma once

// Sticky sessions, as gorouter keeps them. An app starts a session by setting a cookie named
// in sticky_session_cookie_names (JSESSIONID by default); the router then sets a
// "__VCAP_ID__=<instance guid>" cookie next to it, and later requests carrying both cookies go
// back to that instance while it is registered. A request whose instance is gone is balanced
// as usual and given a new __VCAP_ID__.
//
// The router's cookie copies the app cookie's Secure, SameSite, Expires and Partitioned, and
// its deletion (Max-Age=0 or negative); it is always HttpOnly, its Path is the route's path,
// and it is Secure whenever secure_cookies is on. It is not added when the response sets
// __VCAP_ID__ itself.
//
// With sticky_sessions_for_auth_negotiate, a response to "WWW-Authenticate: Negotiate" gets a
// __VCAP_ID__ lasting 60 s with SameSite=Strict, and a request with "Authorization:
// Negotiate..." and a __VCAP_ID__ must reach that instance or fail.

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gorouter/rules/cookies.h"
#include "gorouter/rules/endpoint.h"
#include "gorouter/rules/header_list.h"

namespace cupola::router::rules {

// How long the __VCAP_ID__ of an auth-negotiate exchange lives.
inline constexpr int kAuthNegotiateCookieMaxAgeSeconds = 60;

struct StickySessionOptions {
  std::vector<std::string> cookie_names{"JSESSIONID"};
  bool for_auth_negotiate = false;
  bool secure_cookies = false;
};

// The instance a request asks to return to.
struct StickyTarget {
  // The __VCAP_ID__ value: an instance guid (or an endpoint address).
  std::string endpoint_id;
  // True for auth-negotiate requests: no other instance may serve them.
  bool must_be_sticky = false;

  bool operator==(const StickyTarget&) const = default;
};

// The request's sticky target: its __VCAP_ID__ cookie, when it also carries one of the
// session cookies (or, for auth negotiate, an "Authorization: Negotiate" header).
std::optional<StickyTarget> sticky_target(const HeaderList& request_headers,
                                          const StickySessionOptions& options);

struct StickyChoice {
  enum class Kind {
    // No sticky instance applies: balance over the pool as usual.
    Balance,
    // Send the first attempt to pool[index].
    Endpoint,
    // The request must be sticky and its instance is gone or overloaded: no endpoint.
    NoEndpoint,
  };
  Kind kind = Kind::Balance;
  std::size_t index = 0;

  bool operator==(const StickyChoice&) const = default;
};

// Where a request's first attempt goes. The target matches an endpoint by instance guid or by
// address; an overloaded match counts as gone. Retries are balanced as usual.
StickyChoice choose_sticky_endpoint(
    std::span<const Endpoint> pool, const std::optional<StickyTarget>& target,
    const std::function<bool(const Endpoint&)>& overloaded = nullptr);

// The __VCAP_ID__ cookie to add to a backend's response, or nullopt. `requested_endpoint_id`
// is the request's sticky target ("" when it had none); `route_path` is the route's context
// path ("/" for a route without one).
std::optional<SetCookie> vcap_id_cookie(const HeaderList& response_headers,
                                        const Endpoint& endpoint,
                                        std::string_view requested_endpoint_id,
                                        std::string_view route_path,
                                        const StickySessionOptions& options);

}  // namespace cupola::router::rules
