#pragma once

// Cookies read and written as Go's net/http reads and writes them, so that the sticky-session
// cookie the router sets is byte for byte gorouter's.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/time.h"
#include "gorouter/rules/header_list.h"

namespace cupola::router::rules {

enum class SameSite {
  // No SameSite attribute was given (none is written).
  Unset,
  // An empty or unknown SameSite value (none is written either).
  Default,
  Lax,
  Strict,
  None,
};

struct SetCookie {
  std::string name;
  std::string value;
  std::string path;
  std::string domain;
  // Set when an Expires attribute parsed as an HTTP date.
  std::optional<TimePoint> expires;
  // Go's convention: 0 means no Max-Age; negative means "delete now" (written "Max-Age=0").
  int max_age = 0;
  bool secure = false;
  bool http_only = false;
  bool partitioned = false;
  SameSite same_site = SameSite::Unset;
};

// The value of the first well-formed cookie named `name` in the request's Cookie lines (a
// quoted value is unquoted), or nullopt.
std::optional<std::string> request_cookie(const HeaderList& headers, std::string_view name);

// One Set-Cookie line; nullopt when its name=value part is malformed. Unknown or malformed
// attributes are ignored; "Max-Age=0" and negative values become max_age -1.
std::optional<SetCookie> parse_set_cookie(std::string_view line);

// Every well-formed cookie the response sets, in order.
std::vector<SetCookie> response_cookies(const HeaderList& headers);

// "name=value; Path=...; Domain=...; Expires=...; Max-Age=...; HttpOnly; Secure;
// SameSite=...; Partitioned", each attribute only when set.
std::string format_set_cookie(const SetCookie& cookie);

// "Mon, 02 Jan 2006 15:04:05 GMT" (RFC 1123, also with "02-Jan-2006"); any zone
// abbreviation is read as UTC. Years TimePoint cannot hold (before 1678, after 2261) are
// refused.
std::optional<TimePoint> parse_http_date(std::string_view s);

// "Mon, 02 Jan 2006 15:04:05 GMT".
std::string format_http_date(TimePoint t);

}  // namespace cupola::router::rules
