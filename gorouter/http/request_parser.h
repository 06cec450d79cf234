#pragma once

#include <cstddef>
#include <string_view>

#include "gorouter/http/head_scanner.h"
#include "gorouter/http/message.h"

namespace cupola::router::http {

// Parses the head of one HTTP/1.0 or HTTP/1.1 request, incrementally and without copying.
// One per connection, reset() between requests; not thread-safe. Strict: it accepts only
// what every conforming parser reads the same way (RFC 9110/9112), and answers everything
// else with an error carrying the status to send (errors.h lists them):
//  - request line: method token SP request-target SP HTTP-version, single spaces; target of
//    VCHARs in a form fit for the method (target.h); only HTTP/1.0 and HTTP/1.1;
//  - lines end in CRLF: bare LF, bare CR and NUL are errors; empty lines before the request
//    line are skipped;
//  - field lines: a token name directly followed by ":", no obs-fold, values without
//    control bytes but HTAB;
//  - HTTP/1.1 needs exactly one valid Host; more than one Host is an error in any version;
//  - body framing as in framing.h;
//  - bounded by Limits.
class RequestParser {
 public:
  explicit RequestParser(const Limits& limits = {});

  // `data` holds every byte of this request received so far, from its first byte on (for
  // a pipelined request: from the byte after the previous message). Each call passes them
  // all again with any new bytes appended; the buffer may move between calls, its bytes may
  // not change. Work is incremental: bytes already scanned are not scanned again, and the
  // outcome does not depend on how the bytes were split.
  //
  // NeedMore: keep the bytes, call again with more. Complete: head() is ready and
  // `consumed` bytes are the head. Error: answer with error.status and close the
  // connection. Once Complete or Error, later calls return the same result until reset().
  HeadResult feed(std::string_view data);

  // The parsed request, valid after Complete until reset(). Its views point into the `data`
  // of the feed() call that returned Complete.
  const RequestHead& head() const noexcept { return head_; }

  // Ready for the next request; keeps its storage.
  void reset() noexcept;

 private:
  ParseErrc parse_request_line(std::string_view data, std::size_t begin, std::size_t end);
  ParseErrc finish(std::string_view data);
  HeadResult fail(ParseErrc code);

  detail::HeadScanner scanner_;
  RequestHead head_;
  HeadResult result_;
  std::size_t method_offset_ = 0;
  std::size_t method_size_ = 0;
  std::size_t target_offset_ = 0;
  std::size_t target_size_ = 0;
};

}  // namespace cupola::router::http
