#include "diego/auctioneer/src/handlers.h"

#include "common/json/json.h"

namespace cupola::auctioneer {
namespace asio = boost::asio;

http::Response error_body(http::StatusCode status, std::string_view type,
                          std::string_view message) {
  json::Writer w;
  w.start_object().key("error").start_object();
  w.field("type", type).field("message", message);
  w.end_object().end_object();
  return http::json_response(status, w.str());
}

namespace {

http::Response passive(const LockKeeper& keeper) {
  auto active = keeper.active_value();
  return error_body(http::StatusCode::service_unavailable, "ServiceUnavailable",
                    active.empty() ? std::string("passive")
                                   : "this auctioneer is passive; the active one is " + active);
}

http::Handler accept(Batcher& batcher, const LockKeeper* keeper, std::string_view key) {
  return [&batcher, keeper, key](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    if (keeper != nullptr && !keeper->holding()) co_return passive(*keeper);
    auto work = work_from_json(ctx.request.body(), key);
    if (!work) {
      co_return error_body(http::StatusCode::bad_request, "InvalidRequest", work.error().message);
    }
    std::size_t count = work->size();
    batcher.submit(std::move(work).value());
    ctx.log.debug("auctioneer.requests-accepted", {{"kind", key}, {"count", count}});
    co_return http::json_response(http::StatusCode::accepted, "{}");
  };
}

}  // namespace

void add_auction_routes(http::Router& router, Batcher& batcher, const LockKeeper* keeper) {
  router.post("/v1/lrps", accept(batcher, keeper, "lrps"));
  router.post("/v1/tasks", accept(batcher, keeper, "tasks"));
}

}  // namespace cupola::auctioneer
