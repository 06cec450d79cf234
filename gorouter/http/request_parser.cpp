#include "gorouter/http/request_parser.h"

#include <algorithm>
#include <optional>

#include "gorouter/http/chars.h"
#include "gorouter/http/framing.h"
#include "gorouter/http/target.h"

namespace cupola::router::http {

using detail::unexpected_byte;

RequestParser::RequestParser(const Limits& limits) : scanner_(Side::Request, limits) {
  head_.headers.reserve(std::min<std::size_t>(limits.max_headers, 128));
}

void RequestParser::reset() noexcept {
  scanner_.reset();
  head_.method = {};
  head_.target = {};
  head_.form = TargetForm::Origin;
  head_.version = Version::Http11;
  head_.headers.clear();
  head_.body = {};
  result_ = {};
}

HeadResult RequestParser::fail(ParseErrc code) {
  result_ = {0, HeadState::Error, make_parse_error(code, Side::Request)};
  return result_;
}

HeadResult RequestParser::feed(std::string_view data) {
  if (result_.state != HeadState::NeedMore) return result_;
  for (;;) {
    const detail::ScanStep step = scanner_.next(data);
    switch (step.state) {
      case detail::ScanState::NeedMore:
        return result_;
      case detail::ScanState::Error:
        return fail(step.error);
      case detail::ScanState::StartLine:
        if (const ParseErrc e = parse_request_line(data, step.begin, step.end);
            e != ParseErrc::Ok) {
          return fail(e);
        }
        break;
      case detail::ScanState::Complete:
        if (const ParseErrc e = finish(data); e != ParseErrc::Ok) return fail(e);
        result_ = {step.end, HeadState::Complete, {}};
        return result_;
    }
  }
}

// request-line = method SP request-target SP HTTP-version (RFC 9112 §3), exactly one space
// each: a lenient split on any whitespace is how request lines get read two ways.
ParseErrc RequestParser::parse_request_line(std::string_view data, std::size_t begin,
                                            std::size_t end) {
  const std::string_view line = data.substr(begin, end - begin);
  std::size_t i = 0;
  while (i < line.size() && detail::is_token_byte(line[i])) ++i;
  if (i == line.size()) return ParseErrc::BadRequestLine;
  if (line[i] != ' ' || i == 0) return unexpected_byte(line[i], ParseErrc::BadMethod);
  const std::size_t target_begin = i + 1;
  std::size_t j = target_begin;
  while (j < line.size() && detail::is_target_byte(line[j])) ++j;
  if (j == line.size()) return ParseErrc::BadRequestLine;
  if (line[j] != ' ' || j == target_begin) return unexpected_byte(line[j], ParseErrc::BadTarget);

  const std::string_view version = line.substr(j + 1);
  for (char c : version) {
    if (const ParseErrc e = unexpected_byte(c, ParseErrc::Ok); e != ParseErrc::Ok) return e;
  }
  if (const ParseErrc e = detail::parse_version(version, head_.version); e != ParseErrc::Ok) {
    return e;
  }

  const std::string_view method = line.substr(0, i);
  const std::string_view target = line.substr(target_begin, j - target_begin);
  const std::optional<TargetForm> form = classify_target(method, target);
  if (!form) return ParseErrc::BadTarget;
  head_.form = *form;
  method_offset_ = begin;
  method_size_ = i;
  target_offset_ = begin + target_begin;
  target_size_ = target.size();
  return ParseErrc::Ok;
}

ParseErrc RequestParser::finish(std::string_view data) {
  head_.method = data.substr(method_offset_, method_size_);
  head_.target = data.substr(target_offset_, target_size_);
  scanner_.fill(data, head_.headers);

  // RFC 9112 §3.2: one Host, valid; required in HTTP/1.1. Two Hosts route two ways.
  const Header* host = nullptr;
  for (const Header& h : head_.headers) {
    if (h.name.size() != 4 || !iequals(h.name, "host")) continue;
    if (host != nullptr) return ParseErrc::DuplicateHost;
    host = &h;
  }
  if (host == nullptr) {
    if (head_.version == Version::Http11) return ParseErrc::MissingHost;
  } else if (!valid_authority(host->value, /*port_required=*/false, /*allow_empty=*/true)) {
    return ParseErrc::BadHost;
  }

  const FramingResult framing = request_framing(head_.version, head_.method, head_.headers);
  if (framing.error != ParseErrc::Ok) return framing.error;
  head_.body = framing.body;
  return ParseErrc::Ok;
}

}  // namespace cupola::router::http
