#include "loggregator/server/tail.h"

#include <boost/asio/post.hpp>

#include "common/service/wakeup.h"
#include "loggregator/api/codec.h"

namespace cupola::logstore {
namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxBatch = 1000;

// One subscription: the backlog first, then what arrives, each next() waiting at most
// `heartbeat` (an empty batch then). Unsubscribes when destroyed. On the handler's executor.
class Feed {
 public:
  Feed(EnvelopeStore& store, const std::string& source_id, const ReadQuery& query,
       const ApiOptions& options, ApiCounters& counters, asio::any_io_executor ex)
      : store_(store),
        counters_(counters),
        types_(query.envelope_types),
        heartbeat_(options.tail_heartbeat),
        wake_(std::make_shared<Wakeup>(ex)),
        sink_(std::make_shared<TailSink>(options.tail_queue)) {
    // Offers come from the ingest side under the store's lock: only schedule the wake-up.
    sink_->on_ready([ex, w = std::weak_ptr<Wakeup>(wake_)] {
      asio::post(ex, [w] {
        if (auto p = w.lock()) p->notify();
      });
    });
    Tail t = store_.subscribe(source_id, query.start_time, sink_, options.tail_backlog);
    id_ = t.id;
    pending_ = std::move(t.backlog);
    ++counters_.tails;
  }
  ~Feed() {
    store_.unsubscribe(id_);
    --counters_.tails;
  }
  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;

  // The next envelopes of the wanted types, encoded; "" after a heartbeat's wait.
  asio::awaitable<std::string> next() {
    std::vector<EnvelopePtr> batch = std::move(pending_);
    pending_.clear();
    if (batch.empty()) batch = sink_->take(kMaxBatch);
    if (batch.empty()) {
      co_await wake_->wait_until(std::chrono::steady_clock::now() + heartbeat_);
      batch = sink_->take(kMaxBatch);
    }
    std::erase_if(batch, [&](const EnvelopePtr& e) { return !types_.admits(e->type()); });
    if (batch.empty()) co_return std::string();
    co_return loggregator::encode_batch(batch, {loggregator::IntegerForm::String});
  }

 private:
  EnvelopeStore& store_;
  ApiCounters& counters_;
  EnvelopeTypeSet types_;
  std::chrono::milliseconds heartbeat_;
  std::shared_ptr<Wakeup> wake_;
  std::shared_ptr<TailSink> sink_;
  SubscriptionId id_ = 0;
  std::vector<EnvelopePtr> pending_;
};

// The comma-separated elements of a header value, trimmed.
std::vector<std::string_view> list_elements(std::string_view value) {
  std::vector<std::string_view> out;
  while (!value.empty()) {
    auto comma = value.find(',');
    auto e = value.substr(0, comma);
    while (!e.empty() && e.front() == ' ') e.remove_prefix(1);
    while (!e.empty() && e.back() == ' ') e.remove_suffix(1);
    if (!e.empty()) out.push_back(e);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

asio::awaitable<http::Response> serve_websocket(http::RequestContext& ctx, Feed& feed) {
  bool offered = false;
  for (auto p : list_elements(ctx.request[http::bhttp::field::sec_websocket_protocol])) {
    offered = offered || p == kTailSubprotocol;
  }
  std::string subprotocol;
  if (offered) subprotocol = kTailSubprotocol;
  bool accepted = co_await ctx.start_websocket(subprotocol);
  if (!accepted) co_return http::Response{};
  // Sends until the peer is gone. A quiet stream is pinged, so a vanished peer is noticed;
  // what the peer sends is not read (a closing peer is seen when the next write fails).
  for (;;) {
    std::string batch = co_await feed.next();
    bool sent = false;
    if (batch.empty()) {
      sent = co_await ctx.send_ping();
    } else {
      sent = co_await ctx.send_message(batch);
    }
    if (!sent) break;
  }
  co_return http::Response{};
}

asio::awaitable<http::Response> serve_events(http::RequestContext& ctx, Feed& feed) {
  http::Response head{http::StatusCode::ok, 11};
  head.set(http::bhttp::field::content_type, "text/event-stream");
  head.set(http::bhttp::field::cache_control, "no-cache");
  if (!co_await ctx.start_stream(std::move(head))) co_return http::Response{};
  // A comment first, so the client sees the stream open even before the first envelope.
  if (!co_await ctx.write_chunk(": connected\n\n")) co_return http::Response{};
  for (;;) {
    std::string batch = co_await feed.next();
    std::string event = batch.empty() ? ": keep-alive\n\n" : "data: " + batch + "\n\n";
    if (!co_await ctx.write_chunk(event)) break;
  }
  co_return http::Response{};
}

}  // namespace

std::string authorization_of(const http::Request& request) {
  std::string header(request[http::bhttp::field::authorization]);
  if (!header.empty() || !http::is_websocket_upgrade(request)) return header;
  for (auto p : list_elements(request[http::bhttp::field::sec_websocket_protocol])) {
    if (p.starts_with("bearer.")) return "bearer " + std::string(p.substr(7));
  }
  return {};
}

asio::awaitable<http::Response> serve_tail(http::RequestContext& ctx, EnvelopeStore& store,
                                           std::string source_id, ReadQuery query,
                                           ApiOptions options, ApiCounters& counters) {
  Feed feed(store, source_id, query, options, counters, ctx.executor);
  if (http::is_websocket_upgrade(ctx.request)) co_return co_await serve_websocket(ctx, feed);
  co_return co_await serve_events(ctx, feed);
}

}  // namespace cupola::logstore
