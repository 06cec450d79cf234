#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::router {

// How long a registered uri may be, host and path together.
inline constexpr std::size_t kMaxUriBytes = 1024;

// A route as the table keys it, following gorouter: the host lower-cased, then an optional
// context path ("host" or "host/path/segments"), also lower-cased. A query string and one
// trailing '/' are dropped. A wildcard host is "*.domain". Percent-escapes are kept as written
// (never decoded); bytes outside ASCII are percent-encoded so that they compare like a
// request's escaped path.
class RouteKey {
 public:
  // Parses a uri from a router.register or router.unregister message ("app.example.com",
  // "app.example.com/api", "*.example.com"). Errors: InvalidArgument naming the problem (an
  // empty or malformed host, a port, a wildcard other than a leading "*.", a control character
  // or space, a malformed percent-escape, longer than kMaxUriBytes).
  static Result<RouteKey> parse(std::string_view uri);

  // "host" or "host/path".
  const std::string& str() const { return key_; }
  std::string_view host() const { return std::string_view(key_).substr(0, host_len_); }
  // "" for the host's root, else "/a/b".
  std::string_view path() const { return std::string_view(key_).substr(host_len_); }
  bool wildcard() const { return key_.starts_with("*."); }
  // host_hash(host()).
  std::uint64_t hash() const { return hash_; }

 private:
  std::string key_;
  std::size_t host_len_ = 0;
  std::uint64_t hash_ = 0;
};

// A 64-bit hash of a host name, ASCII case-insensitive, fed in pieces so that a wildcard
// candidate ("*." + suffix) hashes without building the string.
class HostHasher {
 public:
  HostHasher& feed(std::string_view s);
  std::uint64_t finish() const;

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

inline std::uint64_t host_hash(std::string_view host) { return HostHasher{}.feed(host).finish(); }

// The Host header without its port ("app.example.com:8080" -> "app.example.com"). An IPv6
// literal keeps its brackets ("[::1]:80" -> "[::1]").
std::string_view host_without_port(std::string_view host_header);

// The path part of a request target as the table compares it: the query string and one
// trailing '/' dropped; bytes that a request path must escape (controls, space, '"', '<', '>',
// '\', '^', '`', '{', '|', '}', '#', non-ASCII) percent-encoded, as gorouter's
// URL.EscapedPath() does. Returns false when the path holds a malformed percent-escape ("%",
// "%4", "%zz"), which gorouter's URL parser refuses. `storage` backs `out` only when something
// had to be encoded.
bool normalize_request_path(std::string_view target, std::string& storage, std::string_view& out);

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

// True when `route_path` ("" or "/a/b", lower-case) is a prefix of `request_path` on a segment
// boundary, ignoring ASCII case: "/a" matches "/a", "/a/c" and "/A", not "/ab".
bool path_matches(std::string_view route_path, std::string_view request_path);

}  // namespace cupola::router
