#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bbs/api/models/errors.h"
#include "bbs/src/events/event_hub.h"
#include "bbs/src/handlers/common.h"
#include "bbs/src/handlers/routes.h"

namespace cupola::bbs {
namespace asio = boost::asio;
using http::RequestContext;
using http::Response;

namespace {
// A comment line now and then lets both ends notice a dead connection.
constexpr std::chrono::seconds kKeepalive{15};
}  // namespace

void add_event_routes(http::Router& r, EventHub& hub) {
  r.get("/v1/events", [&hub](RequestContext& ctx) -> asio::awaitable<Response> {
    using namespace asio::experimental::awaitable_operators;
    auto sub = hub.subscribe();
    if (sub->dropped()) {
      co_return error_response(
          bbs_error(ErrorType::ServiceUnavailable, "the BBS is stopping; connect to another"));
    }
    // Unsubscribes however the stream ends (a cancelled write throws).
    struct Unsubscribe {
      EventHub& hub;
      std::shared_ptr<EventHub::Subscription> sub;
      ~Unsubscribe() { hub.unsubscribe(sub); }
    } unsubscribe{hub, sub};
    Response head{http::StatusCode::ok, 11};
    head.set(http::bhttp::field::content_type, "text/event-stream; charset=utf-8");
    head.set(http::bhttp::field::cache_control, "no-cache, no-store, must-revalidate");
    bool open = co_await ctx.start_stream(std::move(head));
    std::uint64_t id = 0;
    asio::steady_timer keepalive(ctx.executor);
    while (open) {
      keepalive.expires_after(kKeepalive);
      auto next =
          co_await (sub->next() || keepalive.async_wait(asio::as_tuple(asio::use_awaitable)));
      if (next.index() == 1) {
        open = co_await ctx.write_chunk(": keepalive\n\n");
        continue;
      }
      auto& event = std::get<0>(next);
      if (!event) break;  // dropped as too slow, or the BBS is stopping
      open = co_await ctx.write_chunk(to_sse(*event, id++));
    }
    co_return Response{};
  });
}

}  // namespace cupola::bbs
