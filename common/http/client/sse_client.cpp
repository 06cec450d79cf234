#include "common/http/client/sse_client.h"

#include <fmt/format.h>

namespace cupola::http {

boost::asio::awaitable<Result<ClientResponse>> consume_sse(Client& client, std::string url,
                                                           SseHandler on_event,
                                                           SseOptions options) {
  ClientRequest req{Method::Get, url, std::move(options.headers), {}, {}};
  req.headers.push_back(Header{"Accept", "text/event-stream"});
  req.headers.push_back(Header{"Cache-Control", "no-cache"});
  if (!options.last_event_id.empty()) {
    req.headers.push_back(Header{"Last-Event-ID", options.last_event_id});
  }

  SseParser parser(options.max_event_bytes);
  std::optional<Error> failure;
  // The caller's own look at the head (to learn that the stream is live) runs after ours.
  auto callers_on_head = std::move(options.stream.on_head);
  options.stream.on_head = [&](const ClientResponse& head) {
    auto type = head.header("content-type");
    if (type && type->starts_with("text/event-stream")) {
      return callers_on_head ? callers_on_head(head) : true;
    }
    failure = make_error(Errc::InvalidArgument,
                         fmt::format("expected text/event-stream, got \"{}\"", type.value_or("")));
    return false;
  };
  auto on_body = [&](std::string_view chunk) {
    auto events = parser.feed(chunk);
    if (!events) {
      failure = std::move(events).error();
      return false;
    }
    for (const SseEvent& event : *events) {
      if (!on_event(event)) return false;
    }
    return true;
  };

  auto res = co_await client.stream(std::move(req), on_body, options.stream);
  if (!res) co_return res;
  if (failure) {
    failure->message = fmt::format("GET {}: {}", url, failure->message);
    co_return *failure;
  }
  co_return res;
}

}  // namespace cupola::http
