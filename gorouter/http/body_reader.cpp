#include "gorouter/http/body_reader.h"

#include <algorithm>

namespace cupola::router::http {

BodyReader::BodyReader(BodyFraming framing, Side side, const BodyLimits& limits)
    : framing_(framing), side_(side), remaining_(framing.length), chunked_(side, limits) {
  done_ = framing_.kind == BodyKind::None || framing_.kind == BodyKind::Tunnel ||
          (framing_.kind == BodyKind::ContentLength && remaining_ == 0);
}

BodyResult BodyReader::feed(std::string_view input) {
  BodyResult r;
  if (done_) {
    r.state = BodyState::Done;
    return r;
  }
  switch (framing_.kind) {
    case BodyKind::ContentLength: {
      const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size()));
      r.data = input.substr(0, take);
      r.consumed = take;
      remaining_ -= take;
      if (remaining_ == 0) {
        done_ = true;
        r.state = BodyState::Done;
      }
      return r;
    }
    case BodyKind::Chunked:
      r = chunked_.feed(input);
      done_ = r.state == BodyState::Done;
      return r;
    case BodyKind::UntilClose:
      r.data = input;
      r.consumed = input.size();
      return r;
    case BodyKind::None:
    case BodyKind::Tunnel:
      break;
  }
  r.state = BodyState::Done;
  return r;
}

BodyResult BodyReader::finish() {
  BodyResult r;
  if (done_ || framing_.kind == BodyKind::UntilClose) {
    done_ = true;
    r.state = BodyState::Done;
    return r;
  }
  r.state = BodyState::Error;
  r.error = make_parse_error(ParseErrc::IncompleteBody, side_);
  return r;
}

}  // namespace cupola::router::http
