#pragma once

#include <cstdint>
#include <string_view>

#include "gorouter/http/chunked_decoder.h"
#include "gorouter/http/errors.h"
#include "gorouter/http/message.h"

namespace cupola::router::http {

// Reads one message body as a head's BodyFraming says, streaming: data comes back as views
// into the input, nothing is buffered. Not thread-safe; one per message.
class BodyReader {
 public:
  BodyReader(BodyFraming framing, Side side, const BodyLimits& limits = {});

  // Reads from the start of `input`; the result is as ChunkedDecoder::feed() describes.
  //  - None and Tunnel: Done at once, nothing consumed (a tunnel's bytes are not a body).
  //  - ContentLength: Done after `length` bytes; the rest of the input is not consumed.
  //  - Chunked: ChunkedDecoder.
  //  - UntilClose: consumes everything, InProgress until finish().
  BodyResult feed(std::string_view input);

  // The peer closed the connection. Done for UntilClose or a body already complete,
  // IncompleteBody otherwise.
  BodyResult finish();

  bool done() const noexcept { return done_; }
  BodyKind kind() const noexcept { return framing_.kind; }

 private:
  BodyFraming framing_;
  Side side_;
  std::uint64_t remaining_;
  ChunkedDecoder chunked_;
  bool done_ = false;
};

}  // namespace cupola::router::http
