#include "gorouter/route/route_key.h"

#include <fmt/format.h>

namespace cupola::router {
namespace {

constexpr std::size_t kMaxHostBytes = 253;
constexpr std::size_t kMaxLabelBytes = 63;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Bytes a path may carry unescaped: RFC 3986 pchar plus '/', '[' and ']', which Go's URL
// parser also keeps as they are.
bool path_byte_ok(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c != 0 && std::string_view("-._~!$&'()*+,;=:@[]/%").find(static_cast<char>(c)) !=
                       std::string_view::npos;
}

void append_escaped(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0xf]);
}

// Lower-cases and checks a registered host: dot-separated labels of letters, digits, '-' and
// '_', with an optional leading "*." label.
Status check_host(std::string_view host, std::string_view uri) {
  if (host.empty())
    return make_error(Errc::InvalidArgument, fmt::format("uri {:?} has no host", uri));
  if (host.size() > kMaxHostBytes) {
    return make_error(
        Errc::InvalidArgument,
        fmt::format("uri {:?}: the host is longer than {} bytes", uri, kMaxHostBytes));
  }
  std::string_view rest = host;
  if (rest.starts_with("*.")) rest.remove_prefix(2);
  std::size_t label = 0;
  for (std::size_t i = 0; i <= rest.size(); ++i) {
    if (i == rest.size() || rest[i] == '.') {
      if (label == 0) {
        return make_error(Errc::InvalidArgument,
                          fmt::format("uri {:?}: the host has an empty label", uri));
      }
      label = 0;
      continue;
    }
    char c = rest[i];
    if (c == ':') {
      return make_error(Errc::InvalidArgument,
                        fmt::format("uri {:?}: a route's host carries no port", uri));
    }
    if (c == '*') {
      return make_error(
          Errc::InvalidArgument,
          fmt::format("uri {:?}: a wildcard is allowed only as a leading \"*.\"", uri));
    }
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      return make_error(Errc::InvalidArgument,
                        fmt::format("uri {:?}: the host contains {:?}", uri, c));
    }
    if (++label > kMaxLabelBytes) {
      return make_error(
          Errc::InvalidArgument,
          fmt::format("uri {:?}: a host label is longer than {} bytes", uri, kMaxLabelBytes));
    }
  }
  return {};
}

}  // namespace

Result<RouteKey> RouteKey::parse(std::string_view uri) {
  if (uri.size() > kMaxUriBytes) {
    return make_error(Errc::InvalidArgument, fmt::format("uri {:?}...: longer than {} bytes",
                                                         uri.substr(0, 64), kMaxUriBytes));
  }
  std::string_view s = uri.substr(0, uri.find('?'));
  while (s.ends_with('/')) s.remove_suffix(1);
  if (s.empty()) return make_error(Errc::InvalidArgument, fmt::format("uri {:?} is empty", uri));

  RouteKey key;
  auto slash = s.find('/');
  std::string_view host = s.substr(0, slash);
  key.key_.reserve(s.size());
  for (char c : host) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return make_error(
          Errc::InvalidArgument,
          fmt::format("uri {:?}: the host contains a space, control or non-ASCII byte", uri));
    }
    key.key_.push_back(lower(c));
  }
  if (auto st = check_host(key.key_, uri); !st) return std::move(st).error();
  key.host_len_ = key.key_.size();
  key.hash_ = host_hash(key.key_);

  if (slash == std::string_view::npos) return key;
  std::string_view path = s.substr(slash);
  for (std::size_t i = 0; i < path.size(); ++i) {
    auto c = static_cast<unsigned char>(path[i]);
    if (c >= 0x80) {
      append_escaped(key.key_, c);
    } else if (c == '%') {
      if (i + 2 >= path.size() || !is_hex(path[i + 1]) || !is_hex(path[i + 2])) {
        return make_error(Errc::InvalidArgument,
                          fmt::format("uri {:?}: '%' is not followed by two hex digits", uri));
      }
      key.key_.push_back('%');
    } else if (!path_byte_ok(c)) {
      return make_error(
          Errc::InvalidArgument,
          fmt::format("uri {:?}: the path contains {:?}, which must be percent-encoded", uri,
                      static_cast<char>(c)));
    } else {
      key.key_.push_back(lower(static_cast<char>(c)));
    }
  }
  return key;
}

HostHasher& HostHasher::feed(std::string_view s) {
  for (char c : s) {
    h_ ^= static_cast<unsigned char>(lower(c));
    h_ *= 0x100000001b3ULL;
  }
  return *this;
}

std::uint64_t HostHasher::finish() const {
  // FNV-1a spreads its entropy poorly over the low bits the table indexes by; mix it.
  std::uint64_t h = h_;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

std::string_view host_without_port(std::string_view host_header) {
  if (host_header.starts_with('[')) {
    auto close = host_header.find(']');
    return close == std::string_view::npos ? host_header : host_header.substr(0, close + 1);
  }
  return host_header.substr(0, host_header.find(':'));
}

bool normalize_request_path(std::string_view target, std::string& storage, std::string_view& out) {
  std::string_view path = target.substr(0, target.find('?'));
  bool encode = false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    auto c = static_cast<unsigned char>(path[i]);
    if (c == '%') {
      if (i + 2 >= path.size() || !is_hex(path[i + 1]) || !is_hex(path[i + 2])) return false;
      i += 2;
    } else if (!path_byte_ok(c)) {
      encode = true;
    }
  }
  if (!encode) {
    out = path;
    return true;
  }
  storage.clear();
  storage.reserve(path.size() + 16);
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (path_byte_ok(c)) {
      storage.push_back(ch);
    } else {
      append_escaped(storage, c);
    }
  }
  out = storage;
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool path_matches(std::string_view route_path, std::string_view request_path) {
  if (route_path.empty()) return true;
  if (request_path.size() < route_path.size()) return false;
  if (request_path.size() > route_path.size() && request_path[route_path.size()] != '/') {
    return false;
  }
  return iequals(request_path.substr(0, route_path.size()), route_path);
}

}  // namespace cupola::router
