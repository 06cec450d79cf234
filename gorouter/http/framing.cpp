#include "gorouter/http/framing.h"

#include <cstdint>

#include "gorouter/http/chars.h"

namespace cupola::router::http {
namespace {

constexpr std::uint64_t kMaxContentLength = 0x7fff'ffff'ffff'ffffULL;

// What the Content-Length and Transfer-Encoding field lines of a head say, all lines taken.
struct FramingFields {
  bool has_length = false;
  bool length_malformed = false;
  bool length_conflict = false;
  std::uint64_t length = 0;

  bool has_coding = false;
  bool coding_malformed = false;
  int chunked = 0;
  int other_codings = 0;
  bool chunked_last = false;
};

// Calls f(element) for every element of a list, empty ones included: framing fields refuse
// them rather than skip them.
template <class F>
void for_each_raw_element(std::string_view list, F&& f) {
  for (;;) {
    const std::size_t comma = list.find(',');
    f(detail::trim_ows(list.substr(0, comma)));
    if (comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

bool parse_decimal(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!detail::is_digit(c)) return false;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (kMaxContentLength - digit) / 10) return false;
    value = value * 10 + digit;
  }
  out = value;
  return true;
}

void add_content_length(std::string_view value, FramingFields& f) {
  for_each_raw_element(value, [&](std::string_view element) {
    std::uint64_t n = 0;
    if (!parse_decimal(element, n)) {
      f.length_malformed = true;
    } else if (!f.has_length) {
      f.length = n;
    } else if (n != f.length) {
      f.length_conflict = true;
    }
    f.has_length = true;
  });
}

void add_transfer_encoding(std::string_view value, FramingFields& f) {
  f.has_coding = true;
  for_each_raw_element(value, [&](std::string_view element) {
    if (!detail::is_token(element)) {
      f.coding_malformed = true;
      f.chunked_last = false;
    } else if (iequals(element, "chunked")) {
      ++f.chunked;
      f.chunked_last = true;
    } else {
      ++f.other_codings;
      f.chunked_last = false;
    }
  });
}

FramingFields collect(const Headers& headers) {
  FramingFields f;
  for (const Header& h : headers) {
    if (h.name.size() == 14 && iequals(h.name, "content-length")) {
      add_content_length(h.value, f);
    } else if (h.name.size() == 17 && iequals(h.name, "transfer-encoding")) {
      add_transfer_encoding(h.value, f);
    }
  }
  return f;
}

FramingResult error(ParseErrc code) { return {{}, code}; }

// Content-Length when it is the only framing field.
FramingResult length_framing(const FramingFields& f) {
  if (f.length_malformed) return error(ParseErrc::BadContentLength);
  if (f.length_conflict) return error(ParseErrc::ConflictingContentLength);
  return {{BodyKind::ContentLength, f.length}};
}

}  // namespace

FramingResult request_framing(Version version, std::string_view method, const Headers& headers) {
  const FramingFields f = collect(headers);
  const bool connect = method == "CONNECT";
  if (f.has_coding) {
    if (f.has_length) return error(ParseErrc::ContentLengthWithTransferEncoding);
    if (version == Version::Http10) return error(ParseErrc::TransferEncodingInHttp10);
    if (f.coding_malformed || f.chunked > 1 || (f.chunked == 1 && !f.chunked_last)) {
      return error(ParseErrc::BadTransferEncoding);
    }
    if (f.other_codings > 0) return error(ParseErrc::UnsupportedTransferEncoding);
    if (connect) return error(ParseErrc::UnexpectedBody);
    return {{BodyKind::Chunked, 0}};
  }
  if (!f.has_length) return {};
  FramingResult r = length_framing(f);
  if (r.error == ParseErrc::Ok && connect && r.body.length > 0) {
    return error(ParseErrc::UnexpectedBody);
  }
  return r;
}

FramingResult response_framing(Version version, int status, std::string_view request_method,
                               const Headers& headers) {
  if (status == 101) return {{BodyKind::Tunnel, 0}};
  if (status < 200 || status == 204 || status == 304) return {};
  if (request_method == "CONNECT" && status < 300) return {{BodyKind::Tunnel, 0}};
  if (request_method == "HEAD") return {};

  const FramingFields f = collect(headers);
  if (f.has_coding) {
    if (f.has_length) return error(ParseErrc::ContentLengthWithTransferEncoding);
    if (version == Version::Http10) return error(ParseErrc::TransferEncodingInHttp10);
    if (f.coding_malformed || f.chunked > 1) return error(ParseErrc::BadTransferEncoding);
    if (f.chunked_last) return {{BodyKind::Chunked, 0}};
    // chunked is not the final coding: the length is the rest of the connection (§6.3).
    return {{BodyKind::UntilClose, 0}};
  }
  if (!f.has_length) return {{BodyKind::UntilClose, 0}};
  return length_framing(f);
}

}  // namespace cupola::router::http
