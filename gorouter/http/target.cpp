#include "gorouter/http/target.h"

#include "gorouter/http/chars.h"
#include "gorouter/http/headers.h"

namespace cupola::router::http {
namespace {

bool is_unreserved_or_sub_delim(char c) {
  return detail::is_host_byte(c) && c != ':' && c != '[' && c != ']' && c != '%';
}

bool valid_reg_name(std::string_view host) {
  if (host.empty()) return false;
  for (std::size_t i = 0; i < host.size(); ++i) {
    if (host[i] == '%') {
      if (i + 2 >= host.size() || detail::hex_value(host[i + 1]) < 0 ||
          detail::hex_value(host[i + 2]) < 0) {
        return false;
      }
      i += 2;
    } else if (!is_unreserved_or_sub_delim(host[i])) {
      return false;
    }
  }
  return true;
}

bool valid_ip_literal(std::string_view inside) {
  if (inside.empty()) return false;
  for (char c : inside) {
    if (detail::hex_value(c) < 0 && c != ':' && c != '.') return false;
  }
  return true;
}

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  unsigned value = 0;
  for (char c : port) {
    if (!detail::is_digit(c)) return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value <= 65535;
}

}  // namespace

bool valid_authority(std::string_view text, bool port_required, bool allow_empty) {
  if (text.empty()) return allow_empty;
  std::string_view rest;
  if (text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || !valid_ip_literal(text.substr(1, close - 1))) {
      return false;
    }
    rest = text.substr(close + 1);
  } else {
    const std::size_t colon = text.find(':');
    if (!valid_reg_name(text.substr(0, colon))) return false;
    if (colon != std::string_view::npos) rest = text.substr(colon);
  }
  if (rest.empty()) return !port_required;
  return rest.front() == ':' && valid_port(rest.substr(1));
}

std::optional<TargetForm> classify_target(std::string_view method, std::string_view target) {
  if (target.empty()) return std::nullopt;
  if (method == "CONNECT") {
    if (valid_authority(target, /*port_required=*/true)) return TargetForm::Authority;
    return std::nullopt;
  }
  if (target.front() == '/') return TargetForm::Origin;
  if (target == "*") {
    if (method == "OPTIONS") return TargetForm::Asterisk;
    return std::nullopt;
  }
  // absolute-form: only what a router can route, http and https URIs with an authority.
  const std::size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::string_view scheme = target.substr(0, scheme_end);
  if (!iequals(scheme, "http") && !iequals(scheme, "https")) return std::nullopt;
  const std::string_view after = target.substr(scheme_end + 3);
  const std::string_view authority = after.substr(0, after.find_first_of("/?#"));
  if (!valid_authority(authority, /*port_required=*/false)) return std::nullopt;
  return TargetForm::Absolute;
}

}  // namespace cupola::router::http
