#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::http {

// An absolute http:// or https:// URL split into what a request needs.
struct Url {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // a name or an address; IPv6 without brackets
  std::uint16_t port = 0;
  std::string target;  // path and query as sent on the request line; "/" when empty

  bool tls() const { return scheme == "https"; }
  bool host_is_address() const;
  // "https://host:port": connections are pooled per origin.
  std::string origin() const;
  // The Host header value: the port only when it is not the scheme's default.
  std::string host_header() const;
  // The URL again, without any fragment; used in error messages.
  std::string str() const;
};

// Parses an absolute URL. Errors (Errc::InvalidArgument) quote the URL and say what is
// wrong: not absolute, a scheme other than http/https, no host, a bad port, or user
// credentials (not supported: send an Authorization header instead).
Result<Url> parse_url(std::string_view text);

}  // namespace cupola::http
