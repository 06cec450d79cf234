#include "gorouter/http/response_parser.h"

#include <algorithm>

#include "gorouter/http/chars.h"
#include "gorouter/http/framing.h"

namespace cupola::router::http {

using detail::unexpected_byte;

ResponseParser::ResponseParser(const Limits& limits)
    : scanner_(Side::Response, limits), request_method_("GET") {
  head_.headers.reserve(std::min<std::size_t>(limits.max_headers, 128));
}

void ResponseParser::reset(std::string_view request_method) {
  scanner_.reset();
  head_.version = Version::Http11;
  head_.status = 0;
  head_.reason = {};
  head_.headers.clear();
  head_.body = {};
  result_ = {};
  request_method_.assign(request_method);
}

HeadResult ResponseParser::fail(ParseErrc code) {
  result_ = {0, HeadState::Error, make_parse_error(code, Side::Response)};
  return result_;
}

HeadResult ResponseParser::feed(std::string_view data) {
  if (result_.state != HeadState::NeedMore) return result_;
  for (;;) {
    const detail::ScanStep step = scanner_.next(data);
    switch (step.state) {
      case detail::ScanState::NeedMore:
        return result_;
      case detail::ScanState::Error:
        return fail(step.error);
      case detail::ScanState::StartLine: {
        const ParseErrc e = parse_status_line(data.substr(step.begin, step.end - step.begin));
        if (e != ParseErrc::Ok) return fail(e);
        reason_offset_ += step.begin;
        break;
      }
      case detail::ScanState::Complete: {
        head_.reason = data.substr(reason_offset_, reason_size_);
        scanner_.fill(data, head_.headers);
        const FramingResult framing =
            response_framing(head_.version, head_.status, request_method_, head_.headers);
        if (framing.error != ParseErrc::Ok) return fail(framing.error);
        head_.body = framing.body;
        result_ = {step.end, HeadState::Complete, {}};
        return result_;
      }
    }
  }
}

// status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). A missing
// "SP reason" is accepted: common, and it cannot be read two ways.
ParseErrc ResponseParser::parse_status_line(std::string_view line) {
  for (char c : line.substr(0, 13)) {
    if (const ParseErrc e = unexpected_byte(c, ParseErrc::Ok); e != ParseErrc::Ok) return e;
  }
  if (line.size() < 12 || line[8] != ' ') return ParseErrc::BadStatusLine;
  if (const ParseErrc e = detail::parse_version(line.substr(0, 8), head_.version);
      e != ParseErrc::Ok) {
    return e;
  }
  int status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (!detail::is_digit(line[i])) return ParseErrc::BadStatusLine;
    status = status * 10 + (line[i] - '0');
  }
  if (status < 100 || status > 599) return ParseErrc::BadStatusLine;
  head_.status = status;
  reason_offset_ = 0;
  reason_size_ = 0;
  if (line.size() == 12) return ParseErrc::Ok;
  if (line[12] != ' ') return ParseErrc::BadStatusLine;
  const std::string_view reason = line.substr(13);
  for (char c : reason) {
    if (!detail::is_field_byte(c)) return unexpected_byte(c, ParseErrc::BadStatusLine);
  }
  reason_offset_ = 13;
  reason_size_ = reason.size();
  return ParseErrc::Ok;
}

}  // namespace cupola::router::http
