#include "loggregator/server/handlers.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include "common/json/json.h"
#include "common/service/wakeup.h"
#include "loggregator/api/codec.h"
#include "loggregator/store/read_query.h"

namespace cupola::logstore {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kVersion = "2.11.4";  // log-cache's API generation the CLI expects

std::int64_t now_ns(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock.now().time_since_epoch())
      .count();
}

struct Api {
  EnvelopeStore& store;
  AccessPolicy& access;
  const Clock& clock;
  ApiOptions options;
  ApiCounters& counters;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  // The caller, or the response that refuses the request.
  asio::awaitable<std::variant<Caller, http::Response>> caller(http::RequestContext& ctx) {
    auto header = std::string(ctx.request[http::bhttp::field::authorization]);
    auto who = co_await access.authenticate(header);
    if (who) co_return std::move(*who);
    if (who.error().code == make_error_code(Errc::Unavailable)) {
      co_return api_error(http::StatusCode::service_unavailable, who.error().message);
    }
    ++counters.unauthorized;
    co_return api_error(http::StatusCode::unauthorized, who.error().message);
  }

  // The caller when it may read `source_id`, or the refusal.
  asio::awaitable<std::variant<Caller, http::Response>> reader(http::RequestContext& ctx,
                                                               std::string source_id) {
    auto who = co_await caller(ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    Caller c = std::get<Caller>(std::move(who));
    auto allowed = co_await access.may_read(c, source_id);
    if (!allowed)
      co_return api_error(http::StatusCode::service_unavailable, allowed.error().message);
    if (!*allowed) {
      co_return api_error(http::StatusCode::not_found,
                          "source '" + source_id + "' not found or not visible to you");
    }
    co_return c;
  }

  asio::awaitable<http::Response> info(http::RequestContext&) {
    auto uptime =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
            .count();
    json::Writer w;
    w.start_object().field("version", kVersion).field("vm_uptime", std::to_string(uptime));
    w.end_object();
    co_return http::json_response(http::StatusCode::ok, std::string(w.view()));
  }

  asio::awaitable<http::Response> read(http::RequestContext& ctx) {
    std::string source_id(ctx.params.get("source_id"));
    auto who = co_await reader(ctx, source_id);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    auto query = parse_read_query(ctx.query());
    if (!query) co_return api_error(http::StatusCode::bad_request, query.error().message);
    auto envelopes = store.read(source_id, *query, now_ns(clock));
    if (!envelopes) co_return api_error(http::StatusCode::bad_request, envelopes.error().message);
    ++counters.reads;
    co_return http::json_response(http::StatusCode::ok,
                                  loggregator::encode_read_response(*envelopes));
  }

  asio::awaitable<http::Response> meta(http::RequestContext& ctx) {
    auto who = co_await caller(ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    Caller c = std::get<Caller>(std::move(who));
    auto all = store.meta();
    std::set<std::string> shown;
    if (c.admin) {
      for (const auto& [id, m] : all) shown.insert(id);
    } else {
      std::set<std::string> ids;
      for (const auto& [id, m] : all) ids.insert(id);
      auto readable = co_await access.readable(c, std::move(ids));
      if (!readable) {
        co_return api_error(http::StatusCode::service_unavailable, readable.error().message);
      }
      shown = std::move(*readable);
    }
    json::Writer w;
    w.start_object().key("meta").start_object();
    for (const auto& [id, m] : all) {
      if (!shown.contains(id)) continue;
      // int64s as strings, as log-cache's gateway writes them.
      w.key(id)
          .start_object()
          .field("count", std::to_string(m.count))
          .field("expired", std::to_string(m.expired))
          .field("oldest_timestamp", std::to_string(m.oldest_timestamp))
          .field("newest_timestamp", std::to_string(m.newest_timestamp))
          .end_object();
    }
    w.end_object().end_object();
    co_return http::json_response(http::StatusCode::ok, std::string(w.view()));
  }

  asio::awaitable<http::Response> tail(http::RequestContext& ctx) {
    std::string source_id(ctx.params.get("source_id"));
    auto who = co_await reader(ctx, source_id);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    auto query = parse_read_query(ctx.query());
    if (!query) co_return api_error(http::StatusCode::bad_request, query.error().message);
    const EnvelopeTypeSet types = query->envelope_types;

    auto wake = std::make_shared<Wakeup>(ctx.executor);
    auto sink = std::make_shared<TailSink>(options.tail_queue);
    // Offers come from the ingest side under the store's lock: only schedule the wake-up.
    sink->on_ready([ex = ctx.executor, w = std::weak_ptr<Wakeup>(wake)] {
      asio::post(ex, [w] {
        if (auto p = w.lock()) p->notify();
      });
    });
    Tail t = store.subscribe(source_id, query->start_time, sink, options.tail_backlog);
    struct Unsubscribe {
      EnvelopeStore& store;
      SubscriptionId id;
      ApiCounters& counters;
      ~Unsubscribe() {
        store.unsubscribe(id);
        --counters.tails;
      }
    } unsubscribe{store, t.id, counters};
    ++counters.tails;

    http::Response head{http::StatusCode::ok, 11};
    head.set(http::bhttp::field::content_type, "text/event-stream");
    head.set(http::bhttp::field::cache_control, "no-cache");
    if (!co_await ctx.start_stream(std::move(head))) co_return http::Response{};

    std::vector<EnvelopePtr> batch = std::move(t.backlog);
    for (;;) {
      std::erase_if(batch, [&](const EnvelopePtr& e) { return !types.admits(e->type()); });
      std::string event;
      if (!batch.empty()) {
        event = "data: " + loggregator::encode_batch(batch, {loggregator::IntegerForm::String}) +
                "\n\n";
      } else {
        event = ": keep-alive\n\n";
      }
      if (!co_await ctx.write_chunk(event)) break;
      // Drains what arrived, else waits for more or for the heartbeat.
      batch = sink->take(1000);
      if (batch.empty()) {
        co_await wake->wait_until(std::chrono::steady_clock::now() + options.tail_heartbeat);
        batch = sink->take(1000);
      }
    }
    co_return http::Response{};
  }
};

}  // namespace

http::Response api_error(http::StatusCode status, std::string_view message) {
  json::Writer w;
  w.start_object().field("error", message).end_object();
  return http::json_response(status, std::string(w.view()));
}

http::Router make_api_router(EnvelopeStore& store, AccessPolicy& access, const Clock& clock,
                             ApiOptions options, ApiCounters& counters) {
  auto api = std::make_shared<Api>(Api{store, access, clock, options, counters});
  http::Router r;
  r.get("/api/v1/info", [api](http::RequestContext& ctx) { return api->info(ctx); });
  r.get("/api/v1/read/:source_id", [api](http::RequestContext& ctx) { return api->read(ctx); });
  r.get("/api/v1/meta", [api](http::RequestContext& ctx) { return api->meta(ctx); });
  r.get("/api/v1/tail/:source_id", [api](http::RequestContext& ctx) { return api->tail(ctx); });
  return r;
}

}  // namespace cupola::logstore
