#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace cupola::http {

// One dispatched server-sent event.
struct SseEvent {
  std::string id;     // the last event ID seen so far on the stream (it carries over)
  std::string event;  // the "event" field; "message" when none was given
  std::string data;   // "data" fields joined with '\n'
  // A "retry" field seen since the previous event, in milliseconds.
  std::optional<std::chrono::milliseconds> retry;
};

// Turns a text/event-stream byte stream into events, following the WHATWG HTML
// "server-sent events" parsing rules: lines end in CRLF, LF or CR; a leading BOM is
// skipped; lines starting with ':' are comments; "field: value" drops one space after the
// colon; a blank line dispatches the event if it has data; unknown fields, ids containing
// NUL and non-numeric retry values are ignored; an unfinished event at the end of the
// stream is never dispatched. Input may be split anywhere, including inside a CRLF.
// Pure; not thread-safe.
class SseParser {
 public:
  static constexpr std::size_t kDefaultMaxEventBytes = 1024 * 1024;

  explicit SseParser(std::size_t max_event_bytes = kDefaultMaxEventBytes)
      : max_event_bytes_(max_event_bytes) {}

  // Consumes `bytes` and returns the events they complete, in order. Fails with
  // Errc::LimitExceeded when an event (its pending line and data) grows past
  // max_event_bytes; the parser then stays failed.
  Result<std::vector<SseEvent>> feed(std::string_view bytes);

  // The most recent id field (for a Last-Event-ID header when reconnecting).
  const std::string& last_event_id() const { return last_event_id_; }
  // The most recent valid retry field.
  std::optional<std::chrono::milliseconds> retry() const { return retry_; }

 private:
  void process_line(std::string_view line, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);

  std::size_t max_event_bytes_;
  bool started_ = false;   // the BOM check is done
  bool after_cr_ = false;  // the previous byte ended a line with CR
  bool failed_ = false;
  std::string line_;  // the current, unfinished line
  std::string data_;
  std::string event_type_;
  std::string last_event_id_;
  std::optional<std::chrono::milliseconds> retry_;
  std::optional<std::chrono::milliseconds> pending_retry_;
};

}  // namespace cupola::http
