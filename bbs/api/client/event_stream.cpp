#include "bbs/api/client/event_stream.h"

#include <initializer_list>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "bbs/api/client/wire.h"
#include "bbs/api/codec/codec.h"
#include "bbs/api/models/errors.h"
#include "common/http/client/sse_parser.h"

namespace cupola::bbs {
namespace asio = boost::asio;

// Decoders
namespace {

using client_detail::invalid_response;

Status expect_type(const Event& event, std::initializer_list<std::string_view> types) {
  std::string names;
  for (auto type : types) {
    if (event.type == type) return {};
    if (!names.empty()) names += " or ";
    names += type;
  }
  return make_error(Errc::InvalidArgument, "event \"" + event.type + "\" is not " + names);
}

std::string context_of(const Event& event) { return "event " + event.type; }

Result<json::Document> parse_data(const Event& event) {
  auto doc = json::parse(event.data);
  if (!doc) {
    return bbs_error(ErrorType::InvalidResponse, context_of(event) + ": " + doc.error().message);
  }
  return doc;
}

// Reads the record under `key` of the event's data.
template <class T>
Result<T> single(const Event& event, std::initializer_list<std::string_view> types,
                 std::string_view key) {
  if (auto s = expect_type(event, types); !s) return std::move(s).error();
  auto doc = parse_data(event);
  if (!doc) return std::move(doc).error();
  return client_detail::read_record<T>(*doc, key, context_of(event));
}

// Reads {"before": record, "after": record}.
template <class T>
Result<RecordChange<T>> change(const Event& event, std::string_view type) {
  if (auto s = expect_type(event, {type}); !s) return std::move(s).error();
  auto doc = parse_data(event);
  if (!doc) return std::move(doc).error();
  auto before = client_detail::read_record<T>(*doc, "before", context_of(event));
  if (!before) return std::move(before).error();
  auto after = client_detail::read_record<T>(*doc, "after", context_of(event));
  if (!after) return std::move(after).error();
  return RecordChange<T>{std::move(before).value(), std::move(after).value()};
}

}  // namespace

Result<DesiredLrp> decode_desired_lrp(const Event& event) {
  return single<DesiredLrp>(
      event, {event_types::kDesiredLrpCreated, event_types::kDesiredLrpRemoved}, "desired_lrp");
}

Result<RecordChange<DesiredLrp>> decode_desired_lrp_change(const Event& event) {
  return change<DesiredLrp>(event, event_types::kDesiredLrpChanged);
}

Result<ActualLrp> decode_actual_lrp(const Event& event) {
  return single<ActualLrp>(event, {event_types::kActualLrpCreated, event_types::kActualLrpRemoved},
                           "actual_lrp");
}

Result<RecordChange<ActualLrp>> decode_actual_lrp_change(const Event& event) {
  return change<ActualLrp>(event, event_types::kActualLrpChanged);
}

Result<ActualLrpCrash> decode_actual_lrp_crash(const Event& event) {
  if (auto s = expect_type(event, {event_types::kActualLrpCrashed}); !s) {
    return std::move(s).error();
  }
  auto doc = parse_data(event);
  if (!doc) return std::move(doc).error();
  // The crashed instance's fields are flattened into the data.
  json::ObjectReader r(*doc);
  ActualLrpCrash crash;
  read(r, crash.key);
  read(r, crash.instance_key);
  r.optional("crash_count", crash.crash_count);
  r.optional("crash_reason", crash.crash_reason);
  r.optional("since", crash.since);
  if (!r.ok()) return invalid_response(context_of(event), r);
  return crash;
}

Result<Task> decode_task(const Event& event) {
  return single<Task>(event, {event_types::kTaskCreated, event_types::kTaskRemoved}, "task");
}

Result<RecordChange<Task>> decode_task_change(const Event& event) {
  return change<Task>(event, event_types::kTaskChanged);
}

// The subscription

asio::awaitable<Status> subscribe_events(http::Client& client, std::string base_url,
                                         EventHandler on_event, EventSubscriptionOptions options) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  http::ClientRequest request;
  request.method = http::Method::Get;
  request.url = base_url + "/v1/events";
  request.headers.push_back(http::Header{"Accept", "text/event-stream"});
  request.headers.push_back(http::Header{"Cache-Control", "no-cache"});
  const std::string context = "GET " + request.url;

  // http::consume_sse takes over StreamOptions::on_head, and the head is the moment the
  // subscription exists, so the SSE framing is done here.
  http::SseParser parser;
  std::optional<Error> failure;
  http::StreamOptions stream;
  stream.idle_timeout = options.idle_timeout;
  stream.cancel = options.cancel;
  stream.on_head = [&](const http::ClientResponse& head) {
    auto type = head.header("content-type");
    if (!type || !type->starts_with("text/event-stream")) {
      failure = bbs_error(
          ErrorType::InvalidResponse,
          fmt::format("{}: expected text/event-stream, got \"{}\"", context, type.value_or("")));
      return false;
    }
    if (options.on_subscribed) options.on_subscribed();
    return true;
  };
  auto on_body = [&](std::string_view chunk) {
    auto events = parser.feed(chunk);
    if (!events) {
      failure = make_error(events.error().code, context + ": " + events.error().message);
      return false;
    }
    for (http::SseEvent& sse : *events) {
      Event event;
      event.type = std::move(sse.event);
      event.data = std::move(sse.data);
      if (!on_event(event)) return false;
    }
    return true;
  };

  auto head = co_await client.stream(std::move(request), on_body, stream);
  if (!head) co_return std::move(head).error();
  if (failure) co_return std::move(*failure);
  if (!head->ok()) co_return client_detail::error_of(*head, context);
  co_return Status{};
}

}  // namespace cupola::bbs
