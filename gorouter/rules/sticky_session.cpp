#include "gorouter/rules/sticky_session.h"

#include <algorithm>

#include "gorouter/rules/names.h"

namespace cupola::router::rules {
namespace {

bool starts_with_negotiate(std::string_view value) {
  return to_lower(value.substr(0, 9)) == "negotiate";
}

}  // namespace

std::optional<StickyTarget> sticky_target(const HeaderList& request_headers,
                                          const StickySessionOptions& options) {
  if (options.for_auth_negotiate &&
      starts_with_negotiate(header_value(request_headers, kAuthorization))) {
    if (auto id = request_cookie(request_headers, kVcapIdCookie)) {
      return StickyTarget{std::move(*id), true};
    }
  }
  for (const std::string& name : options.cookie_names) {
    if (!request_cookie(request_headers, name)) continue;
    if (auto id = request_cookie(request_headers, kVcapIdCookie)) {
      return StickyTarget{std::move(*id), false};
    }
  }
  return std::nullopt;
}

StickyChoice choose_sticky_endpoint(std::span<const Endpoint> pool,
                                    const std::optional<StickyTarget>& target,
                                    const std::function<bool(const Endpoint&)>& overloaded) {
  using Kind = StickyChoice::Kind;
  if (!target || target->endpoint_id.empty()) return {};
  const auto it = std::find_if(pool.begin(), pool.end(), [&](const Endpoint& e) {
    return (!e.instance_id.empty() && e.instance_id == target->endpoint_id) ||
           e.address == target->endpoint_id;
  });
  const bool usable = it != pool.end() && !(overloaded && overloaded(*it));
  if (usable) return {Kind::Endpoint, static_cast<std::size_t>(it - pool.begin())};
  return {target->must_be_sticky ? Kind::NoEndpoint : Kind::Balance, 0};
}

std::optional<SetCookie> vcap_id_cookie(const HeaderList& response_headers,
                                        const Endpoint& endpoint,
                                        std::string_view requested_endpoint_id,
                                        std::string_view route_path,
                                        const StickySessionOptions& options) {
  if (endpoint.instance_id.empty()) return std::nullopt;
  const bool negotiate = options.for_auth_negotiate &&
                         starts_with_negotiate(header_value(response_headers, kWwwAuthenticate));
  // A request that asked for an instance but reached another one gets its cookie corrected.
  bool add = (negotiate || !requested_endpoint_id.empty()) &&
             requested_endpoint_id != endpoint.instance_id;

  SetCookie cookie;
  cookie.name = std::string(kVcapIdCookie);
  cookie.value = endpoint.instance_id;
  cookie.path = std::string(route_path);
  cookie.http_only = true;

  const std::vector<SetCookie> cookies = response_cookies(response_headers);
  if (negotiate) {
    cookie.max_age = kAuthNegotiateCookieMaxAgeSeconds;
    cookie.same_site = SameSite::Strict;
  } else {
    for (const SetCookie& c : cookies) {
      if (std::find(options.cookie_names.begin(), options.cookie_names.end(), c.name) ==
          options.cookie_names.end()) {
        continue;
      }
      add = true;
      // Only a deletion is copied: a lasting app cookie's lifetime travels in Expires.
      if (c.max_age < 0) cookie.max_age = c.max_age;
      cookie.secure = c.secure;
      cookie.same_site = c.same_site;
      cookie.expires = c.expires;
      cookie.partitioned = c.partitioned;
      break;
    }
  }
  for (const SetCookie& c : cookies) {
    if (c.name == kVcapIdCookie) return std::nullopt;
  }
  if (!add) return std::nullopt;
  if (options.secure_cookies) cookie.secure = true;
  return cookie;
}

}  // namespace cupola::router::rules
