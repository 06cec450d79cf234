#include "loggregator/server/handlers.h"

#include <boost/asio/co_spawn.hpp>

#include "common/json/json.h"
#include "loggregator/api/codec.h"
#include "loggregator/server/tail.h"
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
    auto header = authorization_of(ctx.request);
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
    co_return co_await serve_tail(ctx, store, source_id, *query, options, counters);
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
