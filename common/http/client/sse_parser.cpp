#include "common/http/client/sse_parser.h"

#include <algorithm>

#include <fmt/format.h>

namespace cupola::http {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<std::vector<SseEvent>> SseParser::feed(std::string_view bytes) {
  auto too_big = [this] {
    failed_ = true;
    return make_error(
        Errc::LimitExceeded,
        fmt::format("server-sent event exceeds the limit of {} bytes", max_event_bytes_));
  };
  if (failed_) return too_big();

  std::vector<SseEvent> out;
  if (!started_) {
    // The BOM may itself arrive split across calls; hold bytes until it is decided.
    line_.append(bytes);
    if (line_.size() < kBom.size() && kBom.starts_with(line_)) return out;
    started_ = true;
    std::string pending = std::move(line_);
    line_.clear();
    std::string_view rest = pending;
    if (rest.starts_with(kBom)) rest.remove_prefix(kBom.size());
    auto events = feed(rest);
    return events;
  }

  std::size_t i = 0;
  while (i < bytes.size()) {
    if (after_cr_ && bytes[i] == '\n') ++i;  // the LF of a CRLF split across calls
    after_cr_ = false;
    if (i >= bytes.size()) break;
    const std::size_t end = bytes.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(i));
      break;
    }
    line_.append(bytes.substr(i, end - i));
    if (line_.size() + data_.size() > max_event_bytes_) return too_big();
    process_line(line_, out);
    line_.clear();
    i = end + 1;
    if (bytes[end] == '\r') {
      if (i < bytes.size() && bytes[i] == '\n') {
        ++i;
      } else if (i == bytes.size()) {
        after_cr_ = true;
      }
    }
  }
  if (line_.size() + data_.size() > max_event_bytes_) return too_big();
  return out;
}

void SseParser::process_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    dispatch(out);
    return;
  }
  if (line.front() == ':') return;  // a comment, often a keep-alive
  std::string_view field = line;
  std::string_view value;
  if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
  }
  if (field == "event") {
    event_type_ = value;
  } else if (field == "data") {
    data_.append(value);
    data_.push_back('\n');
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_event_id_ = value;
  } else if (field == "retry") {
    if (all_digits(value) && value.size() <= 12) {
      retry_ = std::chrono::milliseconds(std::stoll(std::string(value)));
      pending_retry_ = retry_;
    }
  }
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
  if (data_.empty()) {
    event_type_.clear();
    return;
  }
  data_.pop_back();  // the '\n' after the last data line
  out.push_back(SseEvent{last_event_id_, event_type_.empty() ? "message" : event_type_,
                         std::move(data_), pending_retry_});
  data_.clear();
  event_type_.clear();
  pending_retry_.reset();
}

}  // namespace cupola::http
