#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/http/client/client.h"
#include "common/http/client/sse_parser.h"

namespace cupola::http {

// Receives each event as it completes; return false to stop.
using SseHandler = std::function<bool(const SseEvent& event)>;

struct SseOptions {
  Headers headers;            // extra request headers (Authorization, ...)
  std::string last_event_id;  // sent as Last-Event-ID when not empty
  std::size_t max_event_bytes = SseParser::kDefaultMaxEventBytes;
  StreamOptions stream;  // idle timeout (a server's keep-alive comments count)
  // and cancellation
};

// GETs a text/event-stream endpoint and hands events to `on_event` as they arrive, until
// the server ends the stream, `on_event` returns false, or options.stream.cancel fires.
// Returns the response head (status and headers). A non-2xx response comes back whole
// and no event is delivered; a 2xx response that is not text/event-stream is
// Errc::InvalidArgument; an oversized event is Errc::LimitExceeded. Other errors as
// Client::stream. Same threading and lifetime rules as Client.
boost::asio::awaitable<Result<ClientResponse>> consume_sse(Client& client, std::string url,
                                                           SseHandler on_event,
                                                           SseOptions options = {});

}  // namespace cupola::http
