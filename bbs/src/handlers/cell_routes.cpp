#include "bbs/api/codec/codec.h"
#include "bbs/src/controllers/cell_controller.h"
#include "bbs/src/handlers/common.h"
#include "bbs/src/handlers/routes.h"

namespace cupola::bbs {
namespace asio = boost::asio;
using http::RequestContext;
using http::Response;

void add_cell_routes(http::Router& r, CellController& c) {
  r.post("/v1/cells/heartbeat", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    CellPresence cell;
    std::uint32_t ttl = 0;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      auto o = body.object("cell_presence", true);
      read(o, cell);
      body.optional("ttl_seconds", ttl);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.heartbeat(std::move(cell), ttl));
  });
  r.post("/v1/cells/list", [&c](RequestContext&) -> asio::awaitable<Response> {
    auto cells = co_await c.list_cells();
    if (!cells) co_return error_response(cells.error());
    co_return ok_response(list_json("cells", *cells));
  });
  r.post("/v1/domains/upsert", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string domain;
    std::uint32_t ttl = 0;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("domain", domain);
      body.optional("ttl", ttl);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.upsert_domain(std::move(domain), ttl));
  });
  r.post("/v1/domains/list", [&c](RequestContext&) -> asio::awaitable<Response> {
    auto domains = co_await c.list_domains();
    if (!domains) co_return error_response(domains.error());
    json::Writer w;
    w.start_object().key("domains").start_array();
    for (const auto& d : *domains) w.value(d);
    w.end_array().end_object();
    co_return ok_response(w.str());
  });
  r.post("/v1/locks/acquire", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string key, owner, value;
    std::uint32_t ttl = 0;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("key", key);
      body.required("owner", owner);
      body.optional("value", value);
      body.required("ttl_seconds", ttl);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(
        co_await c.acquire_lock(std::move(key), std::move(owner), std::move(value), ttl));
  });
  r.post("/v1/locks/release", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string key, owner;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("key", key);
      body.required("owner", owner);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.release_lock(std::move(key), std::move(owner)));
  });
  r.post("/v1/locks/get", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string key;
    auto s = read_body(ctx, [&](json::ObjectReader& body) { body.required("key", key); });
    if (!s) co_return error_response(s.error());
    auto lock = co_await c.get_lock(std::move(key));
    if (!lock) co_return error_response(lock.error());
    json::Writer w;
    w.start_object().key("lock").start_object();
    w.field("key", lock->key).field("owner", lock->owner).field("value", lock->value);
    w.end_object().end_object();
    co_return ok_response(w.str());
  });
}

}  // namespace cupola::bbs
