#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "gorouter/http/head_scanner.h"
#include "gorouter/http/message.h"

namespace cupola::router::http {

// Parses the head of one backend response, with the same line, field and limit rules and
// the same feed() contract as RequestParser. Status line: HTTP-version SP 3DIGIT
// [SP reason-phrase], status 100-599, reason without control bytes but HTAB. Body framing
// as in framing.h's response_framing(). Every error has status 502: the router answers its
// client with a Bad Gateway and closes the backend connection.
//
// After a 1xx other than 101 (head().status < 200) another response follows for the same
// request: reset() with the same method and feed the bytes after the interim response.
class ResponseParser {
 public:
  explicit ResponseParser(const Limits& limits = {});

  // Ready for the response to a request made with `request_method` ("HEAD" responses and
  // 2xx answers to "CONNECT" have no body); keeps its storage.
  void reset(std::string_view request_method = "GET");

  HeadResult feed(std::string_view data);

  // Valid after Complete until reset(); views into the `data` of the feed() call that
  // returned Complete.
  const ResponseHead& head() const noexcept { return head_; }

 private:
  ParseErrc parse_status_line(std::string_view line);
  HeadResult fail(ParseErrc code);

  detail::HeadScanner scanner_;
  ResponseHead head_;
  HeadResult result_;
  std::string request_method_;  // short methods fit the small-string buffer: no allocation
  std::size_t reason_offset_ = 0;
  std::size_t reason_size_ = 0;
};

}  // namespace cupola::router::http
