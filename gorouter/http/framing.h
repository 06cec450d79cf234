#pragma once

// How a message's body is delimited (RFC 9112 §6.3), decided strictly: any field a
// downstream parser could read differently is an error, never a guess.

#include <string_view>

#include "gorouter/http/errors.h"
#include "gorouter/http/message.h"

namespace cupola::router::http {

struct FramingResult {
  BodyFraming body;
  ParseErrc error = ParseErrc::Ok;
};

// A request's body:
//  - Transfer-Encoding and Content-Length together: ContentLengthWithTransferEncoding.
//  - Transfer-Encoding in HTTP/1.0: TransferEncodingInHttp10.
//  - Transfer-Encoding must be exactly one "chunked" (case-insensitive, over all its field
//    lines): an empty element, a non-token element (parameters, inner whitespace), chunked
//    twice or not last is BadTransferEncoding; any other coding is
//    UnsupportedTransferEncoding.
//  - Content-Length: each element of each field line 1*DIGIT up to 2^63 - 1
//    (BadContentLength); elements must all be equal (ConflictingContentLength).
//  - CONNECT with Transfer-Encoding or a non-zero Content-Length: UnexpectedBody.
//  - Neither field: no body.
FramingResult request_framing(Version version, std::string_view method, const Headers& headers);

// A response's body, given the method of the request it answers:
//  - 101 and a 2xx to CONNECT: Tunnel. Other 1xx, 204, 304 and any response to HEAD: None,
//    whatever the fields say.
//  - Transfer-Encoding with Content-Length, or in HTTP/1.0: an error, as for requests.
//  - Transfer-Encoding ending in one chunked: Chunked; chunked twice or a malformed list:
//    BadTransferEncoding; otherwise read until close.
//  - Content-Length as for requests; neither field: UntilClose.
FramingResult response_framing(Version version, int status, std::string_view request_method,
                               const Headers& headers);

}  // namespace cupola::router::http
