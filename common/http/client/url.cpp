#include "common/http/client/url.h"

#include <charconv>

#include <fmt/format.h>
#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace cupola::http {
namespace {

Error bad_url(std::string_view text, std::string_view why) {
  return make_error(Errc::InvalidArgument, fmt::format("invalid URL \"{}\": {}", text, why));
}

std::uint16_t default_port(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

bool Url::host_is_address() const {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

std::string Url::origin() const { return fmt::format("{}://{}:{}", scheme, bracketed(host), port); }

std::string Url::host_header() const {
  std::string h = bracketed(host);
  if (port != default_port(scheme)) h += fmt::format(":{}", port);
  return h;
}

std::string Url::str() const { return fmt::format("{}://{}{}", scheme, host_header(), target); }

Result<Url> parse_url(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return bad_url(text, "not an absolute URL");
  const boost::urls::url_view& u = *parsed;

  Url url;
  switch (u.scheme_id()) {
    case boost::urls::scheme::http:
      url.scheme = "http";
      break;
    case boost::urls::scheme::https:
      url.scheme = "https";
      break;
    default:
      return bad_url(text, fmt::format("scheme \"{}\" is not http or https", u.scheme()));
  }
  if (!u.has_authority() || u.encoded_host().empty()) return bad_url(text, "no host");
  if (u.has_userinfo()) {
    return bad_url(text, "credentials in URLs are not supported; send an Authorization header");
  }
  if (u.host_type() == boost::urls::host_type::ipvfuture) {
    return bad_url(text, "unsupported host form");
  }
  url.host = u.host_address();

  url.port = default_port(url.scheme);
  if (u.has_port()) {
    std::string_view p = u.port();
    unsigned value = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (p.empty() || ec != std::errc{} || end != p.data() + p.size() || value == 0 ||
        value > 65535) {
      return bad_url(text, fmt::format("bad port \"{}\"", p));
    }
    url.port = static_cast<std::uint16_t>(value);
  }

  url.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
  if (u.has_query()) url.target += "?" + std::string(u.encoded_query());
  return url;
}

}  // namespace cupola::http
